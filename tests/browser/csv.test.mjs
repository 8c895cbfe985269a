// The CSV linked in the footer downloads, and its rows for a program carry the same won
// amounts as the budget table of that program's page (<data value="…"> holds won).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LANGS, launch, open, urlOf, pageByName } from './lib/site.mjs';

const SLUG = 'gyeonggi-welfare-governance';

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
}

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
});
after(async () => { await browser?.close(); });

describe('programs.csv matches the program page', () => {
  for (const lang of LANGS) {
    test(`${lang} ${SLUG}`, async () => {
      const page = await open(context, urlOf(lang, pageByName('program').path));
      try {
        const link = page.locator('footer a[href$="data/programs.csv"]');
        assert.equal(await link.count(), 1, 'one programs.csv link in the footer');
        assert.notEqual(await link.getAttribute('download'), null, 'the link has a download attribute');

        const href = await link.evaluate((a) => a.href);
        const got = await page.evaluate(async (u) => {
          const r = await fetch(u);
          return { status: r.status, text: await r.text() };
        }, href);
        assert.equal(got.status, 200, `GET ${href}`);

        const rows = parseCsv(got.text).filter((r) => r.program === SLUG);
        assert.ok(rows.length > 0, `programs.csv has rows for ${SLUG}`);
        for (const r of rows) {
          assert.equal(new URL(r[`url_${lang}`]).pathname, new URL(page.url()).pathname, `url_${lang} of ${SLUG}`);
        }

        const table = await page.$$eval('#budget table.figures tbody tr[id^="budget-"]', (trs) => trs.map((tr) => {
          const data = tr.querySelectorAll('td data');
          return {
            year: tr.querySelector('th').textContent.trim(),
            budget_won: data[0]?.getAttribute('value'),
            executed_won: data[1]?.getAttribute('value'),
          };
        }));
        assert.ok(table.length > 0, 'the page shows a budget table');
        const fromCsv = rows
          .map((r) => ({ year: r.year, budget_won: r.budget_won, executed_won: r.executed_won }))
          .sort((a, b) => a.year.localeCompare(b.year));
        table.sort((a, b) => a.year.localeCompare(b.year));
        assert.deepEqual(fromCsv, table, 'budget rows: CSV vs the page table');
        for (const r of table) {
          assert.match(r.budget_won, /^\d+$/, 'budget in whole won');
          assert.match(r.executed_won, /^\d+$/, 'executed in whole won');
        }
      } finally {
        await page.close();
      }
    });
  }
});
