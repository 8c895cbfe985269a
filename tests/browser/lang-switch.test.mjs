// The language switch (a.lang-switch) leads to the same page in the other language, whose
// <html lang> is that language, and the twin's switch leads back.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES, LANGS, launch, open, urlOf, pathIn } from './lib/site.mjs';

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});
after(async () => { await browser?.close(); });

async function followSwitch(page) {
  const links = page.locator('a.lang-switch');
  assert.equal(await links.count(), 1, `exactly one a.lang-switch on ${page.url()}`);
  const hreflang = await links.getAttribute('hreflang');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), links.click()]);
  return hreflang;
}

describe('language switch', () => {
  for (const lang of LANGS) {
    const other = lang === 'ko' ? 'en' : 'ko';
    for (const p of PAGES) {
      test(`${lang} ${p.name} → ${other}`, async () => {
        const page = await open(context, urlOf(lang, p.path));
        try {
          assert.equal(await page.getAttribute('html', 'lang'), lang, 'lang of the starting page');

          const hreflang = await followSwitch(page);
          assert.equal(hreflang, other, 'hreflang of the switch link');
          assert.equal(new URL(page.url()).pathname, pathIn(other, p.path), 'the twin page');
          assert.equal(await page.getAttribute('html', 'lang'), other, '<html lang> of the twin');

          await followSwitch(page);
          assert.equal(new URL(page.url()).pathname, pathIn(lang, p.path), 'the way back');
          assert.equal(await page.getAttribute('html', 'lang'), lang, '<html lang> after the way back');
        } finally {
          await page.close();
        }
      });
    }
  }
});
