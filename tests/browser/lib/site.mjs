// Shared helpers of the browser tests: where the built site is served, which pages to visit,
// and how to start the system Chromium through playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Root URL of the served site, without a trailing slash (set by run.sh). */
export const BASE = (() => {
  const b = process.env.GONGSI_BASE_URL;
  if (!b) {
    throw new Error('GONGSI_BASE_URL is not set: run the tests through tests/browser/run.sh');
  }
  return b.replace(/\/+$/, '');
})();

export const LANGS = ['ko', 'en'];

/** The page kinds under test; `path` is the Korean path, the English twin is /en + path. */
export const PAGES = [
  { name: 'home', path: '/' },
  { name: 'region', path: '/regions/gyeonggi/' },
  { name: 'category', path: '/categories/community-social-security-plans/' },
  { name: 'case', path: '/cases/gyeonggi-social-security-plan/' },
  { name: 'programs', path: '/programs/' },
  { name: 'program', path: '/programs/gyeonggi-welfare-governance/' },
  { name: 'program-no-budget', path: '/programs/incheon-emergency-welfare/' },
  { name: 'search', path: '/search/' },
  { name: '404', path: '/404.html' },
];

export const pageByName = (name) => {
  const p = PAGES.find((x) => x.name === name);
  if (!p) throw new Error(`no page named ${name}`);
  return p;
};

/** Path of a page in a language: Korean at the root, English under /en/. */
export const pathIn = (lang, path) => (lang === 'en' ? `/en${path}` : path);
export const urlOf = (lang, path) => BASE + pathIn(lang, path);

export const SCREENSHOT_DIR = join(here, '..', 'screenshots');
export function screenshotPath(file) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, file);
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 30_000,
  });
}

/**
 * Opens a page and fails on anything but a 200 (the 404 page is fetched by its file name,
 * /404.html, so it is a 200 too). Collects page errors so tests can assert there are none.
 */
export async function open(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res || res.status() !== 200) {
    throw new Error(`GET ${url} answered ${res ? res.status() : 'nothing'}`);
  }
  page.errors = errors;
  return page;
}

/** Opens every <details> so what it hides is checked too. */
export async function openAllDetails(page) {
  await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
}
