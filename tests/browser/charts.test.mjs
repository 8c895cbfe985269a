// Every chart image (figure.chart img) loads and has a text alternative, in both languages.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, LANGS, launch, open, urlOf } from './lib/site.mjs';

// Pages that must carry charts (so the check is never vacuous), and the chart files a page
// must show, by the end of their URL.
const MUST_HAVE_CHARTS = new Set(['home', 'region', 'category', 'case', 'program']);
const EXPECTED_FILES = { program: ['budget.svg', 'kpi.svg'] };

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});
after(async () => { await browser?.close(); });

describe('chart images', () => {
  for (const lang of LANGS) {
    for (const p of PAGES) {
      test(`${lang} ${p.name} (${p.path})`, async () => {
        const page = await open(context, urlOf(lang, p.path));
        try {
          const imgs = await page.locator('figure.chart img').all();
          if (MUST_HAVE_CHARTS.has(p.name)) {
            assert.ok(imgs.length > 0, `${page.url()} should show charts`);
          }
          const srcs = [];
          for (const img of imgs) {
            // The images are loading="lazy": scroll each into view, then wait for it.
            await img.scrollIntoViewIfNeeded();
            const src = await img.getAttribute('src');
            srcs.push(src);
            await img.evaluate((el) => (el.complete ? null : new Promise((resolve) => {
              el.addEventListener('load', resolve, { once: true });
              el.addEventListener('error', resolve, { once: true });
            })));
            const naturalWidth = await img.evaluate((el) => el.naturalWidth);
            assert.ok(naturalWidth > 0, `chart ${src} did not load (naturalWidth ${naturalWidth})`);
            const alt = await img.getAttribute('alt');
            assert.ok(alt !== null && alt.trim() !== '', `chart ${src} has an empty alt`);
            if (lang === 'ko') {
              assert.match(alt, /[\uAC00-\uD7A3]/, `Korean alt of ${src} has no Hangul: ${alt}`);
            }
          }
          for (const file of EXPECTED_FILES[p.name] || []) {
            assert.ok(
              srcs.some((s) => new URL(s, page.url()).pathname === `${new URL(page.url()).pathname}${file}`),
              `${page.url()} should show its ${file} chart beside the page (got ${srcs.join(', ')})`,
            );
          }
          if (p.name === 'program-no-budget') {
            // Its own budget chart is `budget.svg` beside the page; a series may still be about
            // money (e.g. `program-budget.svg`), which is not the budget-figures chart.
            const own = `${new URL(page.url()).pathname}budget.svg`;
            assert.ok(
              !srcs.some((s) => new URL(s, page.url()).pathname === own),
              `no budget chart without budget figures (got ${srcs.join(', ')})`,
            );
            assert.equal(await page.locator('#budget, table.figures data').count(), 0, 'no budget table');
          }
        } finally {
          await page.close();
        }
      });
    }
  }
});
