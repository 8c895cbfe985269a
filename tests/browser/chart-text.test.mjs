// At a phone width (390px) chart text renders at 12 CSS px or more: charts are SVG images
// scaled to the column, so the size a reader sees is the SVG's font size times the image's
// rendered width over the SVG's own width. Phones get each chart drawn narrow (the view
// `<id>.svg#narrow` of the chart's one file, through <picture>); a label cut short with "…" keeps its full text in
// the SVG (a <title>) and in the chart's table beside it. Embeds inside a phone-width
// iframe likewise.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LANGS, launch, open, urlOf, BASE } from './lib/site.mjs';

const PHONE = { width: 390, height: 844 };
const MIN_PX = 12;
const PAGES = [
  { name: 'program with series', path: '/programs/gyeonggi-teen-girls-sanitary-products/' },
  { name: 'program with long labels', path: '/programs/incheon-social-welfare-worker-conditions/' },
  { name: 'region', path: '/regions/busan/' },
  { name: 'home', path: '/' },
];

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
});
after(async () => { await browser?.close(); });

/**
 * The width of the drawing the browser shows and the font sizes of its text, read from the
 * chart's file: its `viewBox` and the page-width drawing, or with `#narrow` that view's box
 * and the phone drawing (`<g class="narrow">`).
 */
function svgFacts(file, src) {
  const at = file.indexOf('<g class="narrow"');
  const narrow = src.endsWith('#narrow');
  const box = narrow ? /<view id="narrow" viewBox="[\d.]+ [\d.]+ ([\d.]+) / : /<svg[^>]*\sviewBox="0 0 ([\d.]+) /;
  const width = Number((file.match(box) || [])[1]);
  const svg = at < 0 ? file : narrow ? file.slice(at) : file.slice(0, at);
  const sizes = [...svg.matchAll(/<text[^>]*\sfont-size="(\d+(?:\.\d+)?)"/g)].map((m) => Number(m[1]));
  const titled = [...svg.matchAll(/<text[^>]*>\s*<title>([^<]*)<\/title>([^<]*)<\/text>/g)]
    .map((m) => ({ full: decode(m[1]), shown: decode(m[2]).trim() }));
  return { width, sizes, titled };
}

function decode(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Each chart image of the page: the file it shows, its rendered content width, its facts. */
async function charts(page) {
  const out = [];
  for (const img of await page.locator('figure.chart img, main picture img').all()) {
    await img.scrollIntoViewIfNeeded();
    await img.evaluate((el) => (el.complete ? null : new Promise((resolve) => {
      el.addEventListener('load', resolve, { once: true });
      el.addEventListener('error', resolve, { once: true });
    })));
    const { src, width } = await img.evaluate((el) => ({ src: el.currentSrc, width: el.clientWidth }));
    const svg = await (await fetch(src)).text();
    out.push({ src, rendered: width, ...svgFacts(svg, src) });
  }
  return out;
}

describe('chart text at 390px', () => {
  for (const lang of LANGS) {
    for (const p of PAGES) {
      test(`${lang} ${p.name}`, async () => {
        const page = await open(context, urlOf(lang, p.path));
        try {
          const found = await charts(page);
          assert.ok(found.length > 0, `${page.url()} shows charts`);
          for (const c of found) {
            assert.match(c.src, /\.svg#narrow$/, `a phone gets the narrow drawing: ${c.src}`);
            assert.ok(c.width > 0 && c.sizes.length > 0, `${c.src}: width and text`);
            const smallest = Math.min(...c.sizes) * c.rendered / c.width;
            assert.ok(smallest >= MIN_PX,
              `${c.src}: smallest text renders at ${smallest.toFixed(2)}px (font ${Math.min(...c.sizes)} × ${c.rendered}/${c.width})`);
          }
          // A shortened label keeps its full text: in the SVG and in the table beside the chart.
          const tables = await page.locator('figure.chart table').allTextContents();
          for (const c of found) {
            for (const t of c.titled) {
              assert.ok(t.shown.endsWith('…'), `${c.src}: a titled label is a shortened one (${t.shown})`);
              // The table has the label whole, or (a label composed of a name and its
              // rate) every word of it across the row's cells.
              const norm = (s) => s.replace(/\s+/g, ' ').trim();
              const words = norm(t.full).split(' ').map((w) => w.replace(/^[(（]+|[)）,]+$/g, '')).filter(Boolean);
              assert.ok(tables.some((x) => norm(x).includes(norm(t.full)) || words.every((w) => x.includes(w))),
                `${c.src}: the full label “${t.full}” is in the chart's table`);
            }
          }
          if (p.name === 'program with long labels' && lang === 'en') {
            assert.ok(found.some((c) => c.titled.length > 0), 'this page has a shortened label to check');
          }
        } finally {
          await page.close();
        }
      });
    }
  }

  test('an embed in a phone-width iframe', async () => {
    const page = await open(context, `${BASE}/embed/latest/programs/gyeonggi-teen-girls-sanitary-products/budget/`);
    try {
      await page.setViewportSize({ width: 358, height: 700 });
      const found = await charts(page);
      assert.equal(found.length, 1);
      const c = found[0];
      assert.match(c.src, /\.svg#narrow$/);
      const smallest = Math.min(...c.sizes) * c.rendered / c.width;
      assert.ok(smallest >= MIN_PX, `${c.src}: ${smallest.toFixed(2)}px`);
    } finally {
      await page.close();
    }
  });
});
