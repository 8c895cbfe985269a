// Zero axe-core violations of WCAG 2.2 AA on every page kind, in both languages, at a desktop
// and a phone width (some rules, e.g. scrollable-region-focusable, only bite when tables scroll).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { PAGES, LANGS, launch, open, openAllDetails, urlOf } from './lib/site.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}

for (const viewport of VIEWPORTS) {
  describe(`axe WCAG 2.2 AA at ${viewport.width}px`, () => {
    for (const lang of LANGS) {
      for (const p of PAGES) {
        test(`${lang} ${p.name} (${p.path})`, async () => {
          const context = await browser.newContext({ viewport });
          try {
            const page = await open(context, urlOf(lang, p.path));
            await openAllDetails(page);
            const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
            assert.equal(
              results.violations.length,
              0,
              `axe violations on ${page.url()} at ${viewport.width}px:\n${describeViolations(results.violations)}`,
            );
            assert.deepEqual(page.errors, [], 'page errors');
          } finally {
            await context.close();
          }
        });
      }
    }
  });
}
