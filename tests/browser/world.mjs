// Browser checks of the world fixture (en, ar, ru, zh, tr): axe (WCAG 2.0/2.1
// A + AA) on each page type of every language at desktop and 360 px, in
// both directions; the Nu HTML Checker over the whole output; screenshots
// of the Arabic and Chinese home and spa pages at 1280 and 360 px.
//
// usage: node world.mjs <base-url> <output-folder> <artifacts-folder>
// Prints FAILURES: and exits 1 when something fails.

import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const [base, outdir, artifacts] = process.argv.slice(2);
const BASE = base.replace(/\/+$/, '');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const shots = path.join(artifacts, 'screenshots-world');
fs.mkdirSync(shots, { recursive: true });

const failures = [];
const fail = (section, message) => failures.push(`[${section}] ${message}`);
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...a);

// Page types by their path in each language; ru and tr rename folders.
const spas = { en: 'spas', ar: 'spas', ru: 'kurorty', zh: 'spas', tr: 'tesisler' };
const news = { en: 'news', ar: 'news', ru: 'novosti', zh: 'news', tr: 'haberler' };
const pages = [];
for (const l of Object.keys(spas)) {
  pages.push(
    { lang: l, type: 'home', path: `/${l}/` },
    { lang: l, type: 'spa', path: `/${l}/${spas[l]}/balcova-thermal/` },
    { lang: l, type: 'spas', path: `/${l}/${spas[l]}/` },
    { lang: l, type: 'news item', path: `/${l}/${news[l]}/season-2026/` },
    { lang: l, type: 'location', path: `/${l}/${l === 'tr' ? 'yerler' : 'locations'}/balcova/` },
    { lang: l, type: '404', path: `/${l}/404.html` },
  );
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
let runs = 0;
for (const p of pages) {
  for (const width of [1280, 360]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => fail('script error', `${p.path}: ${e.message}`));
    const res = await page.goto(BASE + p.path, { waitUntil: 'load' });
    if (!res || res.status() !== 200) fail('status', `${p.path}: ${res ? res.status() : 'no response'}`);
    const dir = await page.evaluate(() => document.documentElement.dir);
    if (dir !== (p.lang === 'ar' ? 'rtl' : 'ltr')) fail('dir', `${p.path}: dir="${dir}"`);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    runs++;
    for (const v of result.violations) {
      const target = v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ');
      fail('axe', `${v.id} on ${p.path} @${width}px at \`${target}\`: ${v.help}`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) fail('overflow', `${p.path} @${width}px is ${overflow}px wider than the screen`);
    if ((p.lang === 'ar' || p.lang === 'zh') && (p.type === 'home' || p.type === 'spa')) {
      const file = `world-${p.lang}-${p.type}-${width}.png`;
      await page.screenshot({ path: path.join(shots, file), fullPage: true });
    }
    await context.close();
  }
}
await browser.close();
log(`axe: ${runs} runs on ${pages.length} pages`);

const jar = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const r = spawnSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', outdir], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (r.error) {
  fail('vnu', `could not run java: ${r.error.message}`);
} else {
  const messages = JSON.parse(r.stderr || r.stdout || '{"messages":[]}').messages || [];
  const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  log(`vnu: ${errors.length} errors`);
  for (const m of errors.slice(0, 20)) {
    fail('vnu', `${m.message} [${m.url ? path.relative(outdir, fileURLToPath(m.url)) : '?'}:${m.lastLine ?? '?'}]`);
  }
}

log(`done, ${failures.length} failures`);
if (failures.length) {
  console.log('FAILURES:');
  for (const f of failures) console.log(f);
  process.exit(1);
}
