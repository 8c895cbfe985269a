// The search page (/search/, /en/search/): Korean finds parts of compounds (돌봄 in 통합돌봄
// and 아동돌봄), English matches word prefixes (care), numbers match with or without
// separators, each language lists only its own pages, ?q= and the form both work, the page
// explains itself without JavaScript, and axe finds nothing with results on screen.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { BASE, launch, open, urlOf } from './lib/site.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});
after(async () => { await browser?.close(); });

/** Opens the search page of `lang` with ?q=, waits for the answer, returns the results. */
async function searchFor(lang, q) {
  const page = await open(context, `${urlOf(lang, '/search/')}?q=${encodeURIComponent(q)}`);
  await waitForAnswer(page);
  return { page, results: await results(page) };
}

async function waitForAnswer(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s !== '' && s !== document.querySelector('form[role="search"]').dataset.loading;
  });
}

function results(page) {
  return page.$$eval('#search-results li h2 a', (as) => as.map((a) => ({
    title: a.textContent,
    path: new URL(a.href).pathname,
    origin: new URL(a.href).origin,
  })));
}

describe('search', () => {
  test('ko: 돌봄 finds 통합돌봄 and 아동돌봄 pages, all Korean', async () => {
    const { page, results: r } = await searchFor('ko', '돌봄');
    try {
      assert.equal(await page.inputValue('input[name="q"]'), '돌봄', '?q= fills the input');
      const titles = r.map((x) => x.title);
      assert.ok(titles.some((t) => t.includes('통합돌봄')), `a 통합돌봄 page: ${titles.join(' | ')}`);
      assert.ok(titles.some((t) => t.includes('아동돌봄')), `an 아동돌봄 page: ${titles.join(' | ')}`);
      assert.ok(r.some((x) => x.path === '/programs/gyeonggi-seongnam-si-community-child-care/'), '아동돌봄 program');
      for (const x of r) {
        assert.ok(!x.path.startsWith('/en/'), `only Korean pages: ${x.path}`);
        assert.equal(x.origin, BASE, 'links to this site');
      }
      assert.match(await page.textContent('#search-status'), /\d+건/, 'the count is announced');
      assert.deepEqual(page.errors, [], 'page errors');
    } finally {
      await page.close();
    }
  });

  test('ko: one syllable and a longer compound', async () => {
    const one = await searchFor('ko', '봄');
    const whole = await searchFor('ko', '아동돌봄');
    try {
      assert.ok(one.results.length >= 2, 'one syllable finds pages');
      assert.equal(whole.results[0]?.path, '/programs/gyeonggi-seongnam-si-community-child-care/', 'best match first');
    } finally {
      await one.page.close();
      await whole.page.close();
    }
  });

  test('en: care finds English pages only, by word prefix', async () => {
    const { page, results: r } = await searchFor('en', 'care');
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.ok(r.length >= 3, `several results: ${r.length}`);
      for (const x of r) {
        assert.ok(x.path.startsWith('/en/'), `only English pages: ${x.path}`);
      }
      assert.ok(r.some((x) => /\bcare\b/i.test(x.title)), 'a page with care in its title');
      assert.equal(/\bcare/i.test(r[0].title), true, `title matches rank first: ${r[0].title}`);
      await page.fill('input[name="q"]', 'car');
      await page.press('input[name="q"]', 'Enter');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'car');
      await waitForAnswer(page);
      const prefix = await results(page);
      assert.ok(prefix.length >= r.length, 'car finds at least what care finds');
      assert.deepEqual(page.errors, [], 'page errors');
    } finally {
      await page.close();
    }
  });

  test('numbers: 28,800 and 28800 find the program that printed them', async () => {
    for (const [lang, q] of [['ko', '28,800'], ['ko', '28800'], ['en', '28800']]) {
      const { page, results: r } = await searchFor(lang, q);
      try {
        const want = `${lang === 'en' ? '/en' : ''}/programs/gyeonggi-youth-worker-welfare-points/`;
        assert.equal(r[0]?.path, want, `${lang} ${q}: ${r.map((x) => x.path).join(', ')}`);
      } finally {
        await page.close();
      }
    }
  });

  test('region names: 수영구 and Suyeong lead to the region page first', async () => {
    for (const [lang, q, want] of [['ko', '수영구', '/regions/busan-suyeong-gu/'], ['en', 'suyeong', '/en/regions/busan-suyeong-gu/']]) {
      const { page, results: r } = await searchFor(lang, q);
      try {
        assert.equal(r[0]?.path, want, `${q}: ${r.map((x) => x.path).join(', ')}`);
        assert.ok(r.length > 1, 'and the programs there');
      } finally {
        await page.close();
      }
    }
  });

  test('typing into the form searches and puts the query in the URL', async () => {
    const page = await open(context, urlOf('ko', '/search/'));
    try {
      await page.fill('input[name="q"]', '통합돌봄');
      await page.click('form[role="search"] button[type="submit"]');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '통합돌봄');
      await waitForAnswer(page);
      const r = await results(page);
      assert.ok(r.length > 0 && r.every((x) => !x.path.startsWith('/en/')), 'Korean results');
      assert.ok(r[0].title.includes('통합돌봄'), `title match first: ${r[0].title}`);
    } finally {
      await page.close();
    }
  });

  test('no match says so', async () => {
    const { page, results: r } = await searchFor('en', 'zzzqqq');
    try {
      assert.equal(r.length, 0);
      assert.match(await page.textContent('#search-status'), /No page matches/);
    } finally {
      await page.close();
    }
  });

  test('without JavaScript the page says how else to find pages', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await open(noJs, `${urlOf('en', '/search/')}?q=care`);
      assert.ok(await page.isVisible('.search-noscript'), 'the noscript note shows');
      assert.ok(await page.isVisible('.search-noscript a[href$="/en/programs/"]'), 'with a link to the programs');
      assert.ok(await page.isVisible('form[role="search"] label[for="search-q"]'), 'the form is still there');
    } finally {
      await noJs.close();
    }
  });

  for (const [lang, q] of [['ko', '돌봄'], ['en', 'care']]) {
    test(`axe: no violations on the ${lang} search page with results`, async () => {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
        const { page } = await searchFor(lang, q);
        try {
          await page.setViewportSize(viewport);
          const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
          const text = violations.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
          assert.equal(violations.length, 0, `axe at ${viewport.width}px:\n${text.join('\n')}`);
          const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
          assert.ok(scrollWidth <= viewport.width, `no sideways scroll at ${viewport.width}px (${scrollWidth})`);
        } finally {
          await page.close();
        }
      }
    });
  }
});
