// `gongsi serve` in a real browser: a page left open reloads by itself when its program's
// text, its figures or a template is saved, and shows the change. The preview runs on a
// copy of the default site, so nothing here touches the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib/site.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const program = 'gyeonggi-welfare-governance';
let browser, server, site, base;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'gongsi-serve-'));
  for (const part of ['config.toml', 'content', 'data', 'themes', 'charts']) {
    cpSync(join(root, part), join(site, part), { recursive: true });
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(join(root, 'target', 'release', 'gongsi'), ['--root', site, 'serve', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr.on('data', () => {});
  // Serving once the first build is in.
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${base}/__gongsi/version`);
      if ((await r.text()) !== '0') break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(site, { recursive: true, force: true });
});

/** Saves a change while `page` is open; resolves with the ms until it reloaded showing `text`. */
async function reloadsWith(page, save, text) {
  const start = Date.now();
  const reloaded = page.waitForEvent('load', { timeout: 20000 });
  save();
  await reloaded;
  // More reloads may follow (the whole build behind a quick edit): read whatever page is there.
  for (let i = 0; i < 400; i++) {
    try {
      if ((await page.locator('body').innerText({ timeout: 1000 })).includes(text)) return Date.now() - start;
    } catch {}
    await page.waitForTimeout(50);
  }
  throw new Error(`the page never showed ${text}`);
}

test('an open page reloads by itself with its saved text, figures and template', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/programs/${program}/`);
  // The reload script is waiting for the next version.
  await page.waitForTimeout(300);
  const dir = join(site, 'content', 'programs', program);

  const ms1 = await reloadsWith(page, () => appendFileSync(join(dir, 'index.md'), '\n\n미리보기에서 고친 문장.\n'), '미리보기에서 고친 문장.');

  const rec = join(dir, 'program.toml');
  const toml = readFileSync(rec, 'utf8');
  const m = /^budget = (\d+)$/m.exec(toml);
  assert.ok(m, 'the program has a budget');
  const changed = String(Number(m[1]) + 1);
  const grouped = Number(changed).toLocaleString('en-US');
  const ms2 = await reloadsWith(page, () => writeFileSync(rec, toml.replace(m[0], `budget = ${changed}`)), grouped);

  const tpl = join(site, 'themes', 'gongsi', 'templates', 'program.html');
  const html = readFileSync(tpl, 'utf8');
  const ms3 = await reloadsWith(
    page,
    () => writeFileSync(tpl, html.replace('{% block content %}', '{% block content %}<p>틀을 고쳤습니다</p>')),
    '틀을 고쳤습니다',
  );
  console.log(`save → reloaded page in the browser: text ${ms1} ms, figures ${ms2} ms, template ${ms3} ms`);
  // A failed save shows its errors on the page and keeps the last good version.
  await reloadsWith(page, () => writeFileSync(rec, toml.replace(m[0], 'budget = ')), 'gongsi: the build failed');
  assert.ok((await page.locator('body').innerText()).includes('틀을 고쳤습니다'), 'the last good version stays');
  await context.close();
});
