// At a phone width (390px) no page scrolls sideways: wide tables scroll inside their
// .table-scroll container instead. Also saves screenshots at 390px and 1280px.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, LANGS, launch, open, openAllDetails, urlOf, screenshotPath } from './lib/site.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SCREENSHOT_PAGES = ['home', 'region', 'program'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Elements sticking out past the right edge that no .table-scroll contains. */
function overflowing(page, width) {
  return page.evaluate((vw) => {
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
      return `${s} (right ${Math.round(el.getBoundingClientRect().right)}px) "${text}"`;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 0.5) continue;
      if (el.parentElement && el.parentElement.closest('.table-scroll')) continue;
      // Report only the outermost offender of a subtree.
      if (el.parentElement && el.parentElement.getBoundingClientRect().right > vw + 0.5
          && el.parentElement !== document.body) continue;
      out.push(describe(el));
    }
    return out.slice(0, 15);
  }, width);
}

async function assertNoSideScroll(page, width) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (scrollWidth > width) {
    const culprits = await overflowing(page, width);
    assert.fail(
      `${page.url()} scrolls sideways at ${width}px: scrollWidth ${scrollWidth} (client ${clientWidth}).\n`
        + `Elements past the edge outside any .table-scroll:\n  ${culprits.join('\n  ')}`,
    );
  }
}

describe(`no horizontal page scroll at ${PHONE.width}px`, () => {
  for (const lang of LANGS) {
    for (const p of PAGES) {
      test(`${lang} ${p.name} (${p.path})`, async () => {
        const context = await browser.newContext({ viewport: PHONE });
        try {
          const page = await open(context, urlOf(lang, p.path));
          await assertNoSideScroll(page, PHONE.width);
          // Opening the chart tables must not break the layout either.
          await openAllDetails(page);
          await assertNoSideScroll(page, PHONE.width);
          // Every .table-scroll that overflows really scrolls (overflow-x auto/scroll).
          const stuck = await page.$$eval('.table-scroll', (els) => els
            .filter((e) => e.scrollWidth > e.clientWidth + 1)
            .filter((e) => !['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
            .map((e) => e.id || e.className));
          assert.deepEqual(stuck, [], '.table-scroll containers that overflow without scrolling');
        } finally {
          await context.close();
        }
      });
    }
  }
});

// Figure tables (budgets, indicators, every chart's numbers) become one card per row on a
// phone: every label and value is inside the viewport, and each value says its column.
// Every page kind that draws a table, and a program with "other figures from the source".
const TABLE_PAGES = [
  ...PAGES.filter((x) => ['home', 'region', 'category', 'case', 'programs', 'program'].includes(x.name)),
  { name: 'program-figures', path: '/programs/busan-suyeong-gu-child-friendly-city/' },
  { name: 'regions', path: '/regions/' },
  { name: 'categories', path: '/categories/' },
  { name: 'cases', path: '/cases/' },
  { name: 'methodology', path: '/methodology/' },
  { name: 'data', path: '/data/' },
];
describe(`figure tables fit a ${PHONE.width}px screen`, () => {
  for (const lang of LANGS) {
    for (const p of TABLE_PAGES) {
      test(`${lang} ${p.name} (${p.path})`, async () => {
        const context = await browser.newContext({ viewport: PHONE });
        try {
          const page = await open(context, urlOf(lang, p.path));
          await openAllDetails(page);
          // Every table the theme draws (budgets, indicators, series, other figures, chart
          // numbers), not only the ones already marked as stacking.
          const cells = await page.$$eval('main table:not(.narrative table) tbody th, main table:not(.narrative table) tbody td', (els) => els.map((e) => {
            const r = e.getBoundingClientRect();
            return { text: e.textContent.trim().slice(0, 40), left: r.left, right: r.right, label: e.getAttribute('data-label'), td: e.tagName === 'TD', colspan: e.hasAttribute('colspan') };
          }));
          assert.ok(cells.length > 0, 'the page has figure tables');
          const outside = cells.filter((c) => c.left < -1 || c.right > PHONE.width + 1);
          assert.deepEqual(outside, [], 'table cells past the edge of the screen');
          const unnamed = cells.filter((c) => c.td && !c.colspan && !c.label);
          assert.deepEqual(unnamed, [], 'values without the name of their column');
          // A narrative table (the source's own tables) may scroll, but then it shows a cue.
          const wide = await page.$$eval('.narrative table', (els) => els.map((t) => {
            const box = t.closest('.table-scroll');
            if (!box || box.scrollWidth <= box.clientWidth + 1) return null;
            const bg = getComputedStyle(box).backgroundImage;
            return { table: t.textContent.trim().slice(0, 40), cue: bg.includes('radial-gradient'), focusable: box.tabIndex === 0 };
          }).filter(Boolean));
          assert.deepEqual(wide.filter((w) => !w.cue || !w.focusable), [], 'wide tables that scroll without a visible cue');
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe('screenshots', () => {
  for (const viewport of [PHONE, DESKTOP]) {
    for (const lang of LANGS) {
      for (const name of SCREENSHOT_PAGES) {
        const p = PAGES.find((x) => x.name === name);
        test(`${lang} ${name} at ${viewport.width}px`, async () => {
          const context = await browser.newContext({ viewport });
          try {
            const page = await open(context, urlOf(lang, p.path));
            // Lazy chart images: bring each into view so the screenshot shows it.
            for (const img of await page.locator('figure.chart img').all()) {
              await img.scrollIntoViewIfNeeded();
            }
            await page.waitForFunction(() => [...document.images].every((i) => i.complete));
            await page.evaluate(() => window.scrollTo(0, 0));
            await assertNoSideScroll(page, viewport.width);
            await page.screenshot({
              path: screenshotPath(`${name}-${lang}-${viewport.width}.png`),
              fullPage: true,
            });
          } finally {
            await context.close();
          }
        });
      }
    }
  }
});
