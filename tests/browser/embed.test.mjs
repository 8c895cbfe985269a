// Embed pages (/embed/latest/… and /embed/<edition>/…): the chart loads, the page links back
// to its program page, it has no axe violations, and the iframe snippet offered beside the
// chart on the program page shows it whole in a page of someone else's.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { LANGS, launch, open, openAllDetails, pageByName, pathIn, urlOf } from './lib/site.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const program = pageByName('program');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The iframe snippets offered beside the program's budget chart, by form. */
async function snippets(context, lang) {
  const page = await open(context, urlOf(lang, program.path));
  try {
    const read = async (id) => {
      const box = page.locator(`#${id}`);
      return (await box.count()) ? box.inputValue() : null;
    };
    return { latest: await read('embed-latest-budget'), edition: await read('embed-edition-budget') };
  } finally {
    await page.close();
  }
}

const srcOf = (iframe) => new URL(/src="([^"]+)"/.exec(iframe)[1]);

async function waitForImage(img) {
  await img.evaluate((el) => (el.complete ? null : new Promise((resolve) => {
    el.addEventListener('load', resolve, { once: true });
    el.addEventListener('error', resolve, { once: true });
  })));
  return img.evaluate((el) => el.naturalWidth);
}

describe('embed pages', () => {
  for (const lang of LANGS) {
    test(`${lang}: both forms render the chart, link back and pass axe`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const { latest, edition } = await snippets(context, lang);
        assert.ok(latest, 'a snippet that follows updates');
        assert.ok(edition, 'a snippet fixed to the edition (config.toml names one)');
        const forms = [srcOf(latest), srcOf(edition)];
        assert.equal(forms[0].pathname, pathIn(lang, `/embed/latest${program.path}budget/`));
        assert.match(forms[1].pathname, new RegExp(`^${pathIn(lang, '/embed/')}[^/]+${program.path}budget/$`));
        for (const url of forms) {
          const page = await open(context, url.href);
          try {
            assert.equal(await page.getAttribute('html', 'lang'), lang);
            assert.equal(await page.locator('nav, header.site-header').count(), 0, 'no site chrome');
            const img = page.locator('main img');
            assert.equal(await img.count(), 1);
            const naturalWidth = await waitForImage(img);
            assert.ok(naturalWidth > 0, `${url}: chart did not load`);
            const alt = await img.getAttribute('alt');
            assert.ok(alt && alt.trim(), 'alt text');
            if (lang === 'ko') assert.match(alt, /[\uAC00-\uD7A3]/);

            // The numbers are one click away, and the link back leads to the program page.
            assert.equal(await page.locator('details table tbody tr').count() > 0, true);
            const back = pathIn(lang, program.path);
            const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
            const backHref = hrefs.find((h) => new URL(h).pathname === back);
            assert.ok(backHref, `${url}: a link to ${back} (got ${hrefs.join(', ')})`);
            const target = await open(context, backHref);
            try {
              assert.equal(new URL(target.url()).pathname, back);
              assert.equal(await target.getAttribute('html', 'lang'), lang);
              assert.equal(await target.locator('#chart-budget').count(), 1, 'the chart on its page');
            } finally {
              await target.close();
            }

            await openAllDetails(page);
            const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
            assert.deepEqual(
              results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
              [],
              `axe violations on ${url}`,
            );
            assert.deepEqual(page.errors, [], 'page errors');
          } finally {
            await page.close();
          }
        }
      } finally {
        await context.close();
      }
    });

    test(`${lang}: the pasted snippet shows the whole chart in another page`, async () => {
      for (const [width, javaScriptEnabled] of [[1280, true], [390, true], [1280, false], [390, false]]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
        try {
          const { latest } = await snippets(context, lang);
          const host = await context.newPage();
          await host.setContent(`<!doctype html><html lang="en"><title>host</title><main>${latest}</main></html>`);
          const frameEl = host.locator('iframe');
          assert.ok(await frameEl.getAttribute('title'), 'the iframe has a title');
          const frame = await (await frameEl.elementHandle()).contentFrame();
          await frame.waitForLoadState('load');
          const naturalWidth = await waitForImage(frame.locator('main img'));
          assert.ok(naturalWidth > 0, 'chart loads inside the iframe');
          const fits = await frame.evaluate(() => ({
            scroll: document.documentElement.scrollHeight,
            client: document.documentElement.clientHeight,
            scrollW: document.documentElement.scrollWidth,
            clientW: document.documentElement.clientWidth,
          }));
          const how = `at ${width}px${javaScriptEnabled ? '' : ' without JavaScript'}`;
          assert.ok(fits.scroll <= fits.client, `${how} the frame is tall enough: ${JSON.stringify(fits)}`);
          assert.ok(fits.scrollW <= fits.clientW, `${how} nothing overflows sideways: ${JSON.stringify(fits)}`);
          if (javaScriptEnabled) {
            // The embed page posts its height and the snippet's script sets the frame to it,
            // again when the table opens.
            const settled = async () => {
              for (let i = 0; i < 50; i += 1) {
                const [frameH, docH] = [
                  await frameEl.evaluate((f) => f.getBoundingClientRect().height),
                  await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height)),
                ];
                if (Math.abs(frameH - docH) <= 1) return frameH;
                await host.waitForTimeout(100);
              }
              assert.fail(`${how} the frame never took its page's height`);
            };
            const closed = await settled();
            await frame.locator('details summary').first().click();
            const opened = await settled();
            assert.ok(opened > closed, `${how} the frame grows with the opened table (${closed} → ${opened})`);
          }
          await host.close();
        } finally {
          await context.close();
        }
      }
    });
  }
});
