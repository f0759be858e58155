// Lighthouse on one page of every page type of the built sample site, in
// the mobile and the desktop preset, against Debian's Chromium:
//
//   node tests/browser/lighthouse.mjs <base-url> <output-folder> <artifacts-folder>
//
// Asserts 100 in performance, accessibility, best practices and SEO for
// each page and preset, prints the scores as a Markdown table (the one in
// README's Lighthouse section) and writes them to lighthouse.json in the
// artifacts folder.
// Throttling is Lighthouse's "devtools" method: the page really loads under
// the preset's network and CPU limits. The default "simulate" method
// estimates the timings from one unthrottled load, and on a loaded 2-core
// machine those estimates swing by several points between identical runs.
//
// One Chromium serves every run. Not yet a step of the suite: with devtools
// throttling the 30 runs took 9 min 42 s on the shared 2-core machine, and
// the search page (layout shift), the 404 page (noindex, as it should be)
// and the mobile first paint (98-99) still miss 100.
// Exits 1 after printing every score under 100; 2 on a usage or setup error.

import fs from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const [base, , artifacts] = process.argv.slice(2);
if (!base || !artifacts) {
  console.error('usage: node lighthouse.mjs <base-url> <output-folder> <artifacts-folder>');
  process.exit(2);
}

const PAGES = [
  ['home', '/en/'],
  ['chooser', '/'],
  ['cluster', '/en/clusters/estonia/'],
  ['spa', '/en/spas/laine/'],
  ['news item', '/en/news/latvia-export-plan-2019/'],
  ['news list', '/en/news/'],
  ['event', '/en/events/izmir-cluster-seminar-2016/'],
  ['locations', '/en/locations/'],
  ['location', '/en/locations/parnu/'],
  ['treatments', '/en/treatments/'],
  ['treatment', '/en/treatments/rehabilitation/'],
  ['spa kind', '/en/spas/kind/rehabilitation/'],
  ['search', '/en/search/?q=spa'],
  // The 404 page by its own address: under a missing one the server answers
  // 404, which Lighthouse's SEO category rightly scores as not indexable.
  ['404', '/404.html'],
  ['about', '/en/pages/about/'],
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const PRESETS = {
  mobile: { extends: 'lighthouse:default', settings: { throttlingMethod: 'devtools' } },
  desktop: {
    ...desktopConfig,
    settings: { ...desktopConfig.settings, throttlingMethod: 'devtools' },
  },
};

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

const rows = [];
const failures = [];
try {
  for (const [type, page] of PAGES) {
    for (const [preset, config] of Object.entries(PRESETS)) {
      const url = new URL(page, base).href;
      const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES };
      const result = await lighthouse(url, flags, config);
      const lhr = result.lhr;
      const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
      rows.push({ type, page, preset, scores });
      scores.forEach((s, i) => {
        if (s === 100) return;
        const misses = Object.values(lhr.audits)
          .filter((a) => a.score !== null && a.score < 1 && lhr.categories[CATEGORIES[i]].auditRefs.some((r) => r.id === a.id && r.weight > 0))
          .map((a) => `${a.id} (${a.displayValue || a.score})`);
        failures.push(`${type} ${page} ${preset}: ${CATEGORIES[i]} ${s}: ${misses.join(', ')}`);
      });
      if (lhr.runtimeError) failures.push(`${type} ${page} ${preset}: ${lhr.runtimeError.message}`);
    }
  }
} finally {
  await chrome.kill();
}

console.log('| page type | page | preset | performance | accessibility | best practices | SEO |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.type} | \`${r.page}\` | ${r.preset} | ${r.scores.join(' | ')} |`);
fs.writeFileSync(path.join(artifacts, 'lighthouse.json'), JSON.stringify(rows, null, 2) + '\n');
if (failures.length) {
  console.error(`lighthouse: ${failures.length} score(s) under 100:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
