// Browser checks of the built sample site, driven by tests/it/browser.rs,
// which builds the site and serves it on 127.0.0.1:
//
//   node tests/browser/run.mjs <base-url> <output-folder> <artifacts-folder>
//
// 1. axe-core (WCAG 2.0/2.1 A + AA) on every page type in every language,
//    in light and dark colour scheme;
// 2. the Nu HTML Checker (vnu.jar, Java) over the whole output folder;
// 3. a reader's journey with real clicks;
// 4. search in et, tr, nb, lv, from the URL and by typing;
// 5. no horizontal overflow at 375 px and 320 px, screenshots at 375 and
//    1280 px;
// 6. page weight and request count per page type (weights.json), no
//    third-party requests, no script errors.
//
// Exits 1 after printing every failure; 2 on a usage or setup error.

import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const [baseArg, outdir, artifacts] = process.argv.slice(2);
if (!baseArg || !outdir || !artifacts) {
  console.error('usage: node run.mjs <base-url> <output-folder> <artifacts-folder>');
  process.exit(2);
}
const BASE = baseArg.replace(/\/+$/, '');
const ORIGIN = new URL(BASE).origin;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WEIGHT_LIMIT = 50 * 1024;
const SCREENSHOT_LANGS = ['en', 'nb'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

fs.rmSync(path.join(artifacts, 'screenshots'), { recursive: true, force: true });
fs.mkdirSync(path.join(artifacts, 'screenshots'), { recursive: true });
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const failures = [];
function fail(section, message) {
  failures.push(`[${section}] ${message}`);
}
const t0 = Date.now();
function log(...args) {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...args);
}

// ---------------------------------------------------------------- pages --

/** Languages: folders of the output with their own search index. */
const langs = fs
  .readdirSync(outdir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(outdir, d.name, 'search.json')))
  .map((d) => d.name)
  .sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : 0));

/** The first item page under `<lang>/<section>/`, preferring `wanted`. */
function itemPage(lang, section, wanted) {
  const dir = path.join(outdir, lang, section);
  if (!fs.existsSync(dir)) return null;
  const slugs = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'page' && fs.existsSync(path.join(dir, d.name, 'index.html')))
    .map((d) => d.name)
    .sort();
  if (!slugs.length) return null;
  const slug = wanted && slugs.includes(wanted) ? wanted : slugs[0];
  return `/${lang}/${section}/${slug}/`;
}
function exists(urlPath) {
  const file = urlPath.endsWith('/') ? urlPath + 'index.html' : urlPath;
  return fs.existsSync(path.join(outdir, file.split('?')[0]));
}

/** Every page type in every language: [{type, lang, path}]. */
function pageList() {
  const list = [{ type: 'chooser', lang: '-', path: '/' }];
  const missing = [];
  for (const l of langs) {
    const candidates = [
      ['home', `/${l}/`],
      ['cluster index', `/${l}/clusters/`],
      ['cluster', itemPage(l, 'clusters')],
      ['spa index', `/${l}/spas/`],
      ['spa', itemPage(l, 'spas', 'tervis')],
      ['location index', `/${l}/locations/`],
      ['location', itemPage(l, 'locations', 'parnu')],
      ['news list', `/${l}/news/`],
      ['news page 2', `/${l}/news/page/2/`],
      ['news item', itemPage(l, 'news')],
      ['search', `/${l}/search/?q=parnu`],
      ['page', itemPage(l, 'pages', 'about')],
      ['treatment index', `/${l}/treatments/`],
      ['treatment', `/${l}/treatments/rehabilitation/`],
      ['spa kind', `/${l}/spas/kind/rehabilitation/`],
      ['event list', `/${l}/events/`],
      ['event', itemPage(l, 'events')],
    ];
    for (const [type, p] of candidates) {
      if (p && exists(p)) list.push({ type, lang: l, path: p });
      else missing.push(`${type} (${l})`);
    }
  }
  list.push({ type: '404', lang: '-', path: '/404.html' });
  if (missing.length) log(`not in the sample site (no item in that language): ${missing.join(', ')}`);
  return list;
}

// -------------------------------------------------------------- browser --

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

/**
 * Opens `urlPath` in a fresh context (cold cache), recording every response
 * and any third-party request or script error. `ready` waits for the page's
 * own work (search results).
 */
async function open(urlPath, { width = 1280, height = 900, scheme = 'light', ready } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
  const page = await context.newPage();
  const label = `${urlPath} @${width}px ${scheme}`;
  const responses = [];
  const pending = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin !== ORIGIN && u.protocol !== 'data:' && u.protocol !== 'about:') {
      fail('third-party', `${label} requested ${req.url()}`);
    }
  });
  page.on('response', (res) => {
    pending.push(
      res
        .body()
        .then((b) => [b.length, zlib.gzipSync(b).length])
        .catch(() => [Number(res.headers()['content-length'] || 0), 0])
        .then(([bytes, gzip]) => responses.push({ url: res.url(), status: res.status(), type: res.request().resourceType(), bytes, gzip })),
    );
  });
  await page.addInitScript(recordShifts);
  page.on('pageerror', (e) => fail('script error', `${label}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 404/.test(m.text())) fail('console error', `${label}: ${m.text()}`);
  });
  const res = await page.goto(BASE + urlPath, { waitUntil: 'load' });
  if (ready) await ready(page);
  await Promise.all(pending);
  return { page, context, status: res ? res.status() : 0, responses, label };
}

// -------------------------------------------------------- layout shift --

/** Runs in the page before its own scripts: keeps every layout shift. */
function recordShifts() {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const moved = (e.sources || []).map((s) =>
        s.node ? s.node.nodeName.toLowerCase() + (s.node.className ? '.' + String(s.node.className).trim().replace(/\s+/g, '.') : '') : '?',
      );
      const header = (e.sources || []).every((s) => s.node && s.node.closest && s.node.closest('.site-header'));
      window.__shifts.push({ value: e.value, input: e.hadRecentInput, header, moved });
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

/**
 * Every layout shift of the page so far, those just after input included
 * (which Chromium's score leaves out), and how many moved more than the
 * header. Waits two frames and 300 ms first, for shifts still reported.
 */
async function layoutShifts(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() =>
            setTimeout(() => {
              const all = window.__shifts || [];
              const moved = [...new Set(all.flatMap((e) => e.moved))];
              const below = all.filter((e) => !e.header);
              resolve({ sum: all.reduce((s, e) => s + e.value, 0), count: all.length, below: below.length, moved });
            }, 300),
          ),
        ),
      ),
  );
}

// On a busy machine Chromium sometimes paints the header before its
// language switcher is parsed (and before <main> exists); the switcher
// then arriving rewraps the site title or widens its row and moves the
// header's navigation by a few pixels (0.0006-0.03, about one load in a
// hundred with the Lighthouse test beside this one). So the bar is web
// vitals' "good" (0.1), not 0, except on the search page: below its
// header nothing may move at all, as its results arrive by script into
// a box that already has their room.
function checkShifts(shifts, label, { none = false } = {}) {
  if (none ? shifts.below : shifts.sum >= 0.1) {
    const want = none ? 'expected none' : 'expected under 0.1';
    fail('layout shift', `${label}: ${shifts.count} layout shift(s), total ${shifts.sum.toFixed(4)} (moved: ${shifts.moved.join(', ')}), ${want}`);
  }
}

// ------------------------------------------------------------------ axe --

const axeFound = new Map(); // key → {rule, help, type, target, scheme, summary, where[]}

async function runAxe(page, where, scheme) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const target = node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ');
      const key = [v.id, where.type, target, scheme].join('|');
      if (!axeFound.has(key)) {
        const summary = (node.failureSummary || '').split('\n').slice(1, 2).join(' ').trim();
        axeFound.set(key, { rule: v.id, help: v.help, type: where.type, target, scheme, summary, where: [] });
      }
      axeFound.get(key).where.push(where.path);
    }
  }
  return result.violations.length;
}

// ------------------------------------------------------------- overflow --

async function checkOverflow(page, label) {
  const o = await page.evaluate(() => {
    const w = window.innerWidth;
    const sw = document.documentElement.scrollWidth;
    if (sw <= w) return null;
    const wide = [];
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.right > w + 0.5 && r.width > 0) {
        wide.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(r.right)})`);
      }
      if (wide.length >= 5) break;
    }
    return { sw, w, wide };
  });
  if (o) fail('overflow', `${label}: scrollWidth ${o.sw} > innerWidth ${o.w}; widest: ${o.wide.join(', ')}`);
}

function slug(s) {
  return s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

// -------------------------------------------------------- page by page --

const waitSearch = async (page) => {
  await page.waitForSelector('#search-results .search-count', { timeout: 10000 }).catch(() => {});
};

const weights = [];
const pages = pageList();
log(`checking ${pages.length} pages in ${langs.join(', ')} (axe light + dark, overflow at 375 and 320 px)`);
let axeRuns = 0;
async function checkPage(p) {
  const ready = p.type === 'search' ? waitSearch : undefined;
  // Desktop, light: axe, weight, status.
  {
    const { page, context, status, responses, label } = await open(p.path, { ready });
    if (status !== 200) fail('status', `${label}: HTTP ${status}`);
    await runAxe(page, p, 'light');
    axeRuns++;
    // Images keep their place: every <img> says its width and height, so
    // the browser reserves its box before the file arrives. That is the
    // exact check; the layout shifts below are the reader's measure, and
    // on the search page they include the results filling their box.
    const unsized = await page.evaluate(() =>
      [...document.querySelectorAll('img')]
        .filter((i) => !i.getAttribute('width') || !i.getAttribute('height'))
        .map((i) => i.currentSrc || i.src),
    );
    if (unsized.length) fail('image size', `${label}: <img> without width and height: ${unsized.join(', ')}`);
    checkShifts(await layoutShifts(page), label, { none: p.type === 'search' });
    const docs = responses.filter((r) => r.type !== 'image' && r.type !== 'media' && r.type !== 'font');
    const index = docs.filter((r) => r.url.endsWith('/search.json'));
    const rest = docs.filter((r) => !r.url.endsWith('/search.json'));
    const byKind = {};
    for (const r of rest) {
      const ext = new URL(r.url).pathname.match(/\.(css|js)$/)?.[1] || (r.type === 'document' ? 'html' : r.type);
      byKind[ext] = (byKind[ext] || 0) + r.bytes;
    }
    // Inline map SVGs are images drawn into the page: like photos they
    // are outside the page budget ("before images"); each map has its own
    // budget, checked where maps are drawn.
    const mapBytes = await page.evaluate(() =>
      [...document.querySelectorAll('svg.map')].reduce((s, m) => s + new TextEncoder().encode(m.outerHTML).length, 0),
    );
    const w = {
      type: p.type,
      lang: p.lang,
      path: p.path,
      bytes: rest.reduce((s, r) => s + r.bytes, 0),
      gzip_bytes: rest.reduce((s, r) => s + r.gzip, 0),
      requests: rest.length,
      html: byKind.html || 0,
      css: byKind.css || 0,
      js: byKind.js || 0,
      search_json_bytes: index.reduce((s, r) => s + r.bytes, 0),
      images: responses.length - docs.length,
      map_bytes: mapBytes,
    };
    weights.push(w);
    if (w.bytes - mapBytes >= WEIGHT_LIMIT) {
      fail('weight', `${p.path}: ${w.bytes - mapBytes} bytes before maps (${mapBytes}) in ${w.requests} requests (HTML ${w.html}, CSS ${w.css}, JS ${w.js}) ≥ 50 KB`);
    }
    if (SCREENSHOT_LANGS.includes(p.lang) || p.lang === '-') {
      await page.screenshot({ path: path.join(artifacts, 'screenshots', `${p.lang === '-' ? 'all' : p.lang}-${slug(p.type)}-1280.png`), fullPage: true });
    }
    await context.close();
  }
  // Phone, dark: axe (contrast of the dark palette), overflow at 375 and 320.
  {
    const { page, context, label } = await open(p.path, { width: 375, height: 800, scheme: 'dark', ready });
    await runAxe(page, p, 'dark');
    axeRuns++;
    await checkOverflow(page, label);
    if (p.lang === 'en' || p.lang === '-') {
      await page.screenshot({ path: path.join(artifacts, 'screenshots', `${p.lang === '-' ? 'all' : p.lang}-${slug(p.type)}-375-dark.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 320, height: 800 });
    await checkOverflow(page, `${p.path} @320px dark`);
    await context.close();
  }
  // Phone, light: screenshot.
  if (SCREENSHOT_LANGS.includes(p.lang) || p.lang === '-') {
    const { page, context, label } = await open(p.path, { width: 375, height: 800, ready });
    await checkOverflow(page, label);
    await page.screenshot({ path: path.join(artifacts, 'screenshots', `${p.lang === '-' ? 'all' : p.lang}-${slug(p.type)}-375.png`), fullPage: true });
    await context.close();
  }
}
// A few pages at a time: each visit has its own context, so they do not
// share a cache or a viewport.
{
  const queue = [...pages];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      await checkPage(p).catch((e) => fail('page', `${p.path}: ${e.message}`));
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.BROWSER_JOBS || 4) }, worker));
}
log(`axe: ${axeRuns} runs, ${axeFound.size} distinct violations`);
for (const v of axeFound.values()) {
  const where = v.where.length > 3 ? `${v.where.slice(0, 3).join(', ')} and ${v.where.length - 3} more` : v.where.join(', ');
  fail('axe', `${v.rule} (${v.scheme}) on ${v.type} [${where}] at \`${v.target}\`: ${v.help}${v.summary ? ' — ' + v.summary : ''}`);
}

// A missing URL is answered with the 404 page.
{
  const { page, context, status } = await open('/en/no-such-page/');
  if (status !== 404) fail('404', `/en/no-such-page/ answered HTTP ${status}, expected 404`);
  if (!(await page.locator('h1').count())) fail('404', '/en/no-such-page/ shows no heading');
  await context.close();
}

// ---------------------------------------------------------- weights ----

weights.sort((a, b) => a.type.localeCompare(b.type) || a.lang.localeCompare(b.lang));
fs.writeFileSync(path.join(artifacts, 'weights.json'), JSON.stringify(weights, null, 2) + '\n');
{
  // One row per page type: English (or the shared page), and the heaviest
  // language.
  const en = new Map();
  const max = new Map();
  for (const w of weights) {
    if (w.lang === 'en' || w.lang === '-') en.set(w.type, w);
    if (!max.has(w.type) || max.get(w.type).bytes < w.bytes) max.set(w.type, w);
  }
  const kb = (n) => (n / 1024).toFixed(1);
  log('page weight per page type: bytes transferred uncompressed (gzip in brackets), before images');
  console.log('\n| page type | en page | KB | requests | HTML KB | CSS KB | JS KB | heaviest language | KB |');
  console.log('|---|---|--:|--:|--:|--:|--:|---|--:|');
  for (const [type, w] of en) {
    const m = max.get(type);
    const json = w.search_json_bytes ? ` + search.json ${kb(w.search_json_bytes)}` : '';
    console.log(
      `| ${type} | \`${w.path}\` | ${kb(w.bytes)} (${kb(w.gzip_bytes)})${json} | ${w.requests}${json ? ' + 1' : ''} | ${kb(w.html)} | ${kb(w.css)} | ${kb(w.js)} | \`${m.path}\` | ${kb(m.bytes)} (${kb(m.gzip_bytes)}) |`,
    );
  }
  console.log('');
}

// -------------------------------------------------------------- vnu -----

{
  const jar = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  const r = spawnSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', outdir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) {
    fail('vnu', `could not run java: ${r.error.message}`);
  } else {
    let messages = [];
    try {
      messages = JSON.parse(r.stderr || r.stdout || '{"messages":[]}').messages || [];
    } catch (e) {
      fail('vnu', `unreadable output (exit ${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
    }
    const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    const files = new Set(errors.map((m) => m.url));
    log(`vnu: ${errors.length} errors in ${files.size} files`);
    // Group identical messages so one template bug reads as one line.
    const grouped = new Map();
    for (const m of errors) {
      const file = m.url ? path.relative(outdir, fileURLToPath(m.url)) : '?';
      const key = m.message;
      if (!grouped.has(key)) grouped.set(key, { m, where: [] });
      grouped.get(key).where.push(`${file}:${m.lastLine ?? '?'}`);
    }
    for (const { m, where } of grouped.values()) {
      const w = where.length > 3 ? `${where.slice(0, 3).join(', ')} and ${where.length - 3} more` : where.join(', ');
      fail('vnu', `${m.message} [${w}]${m.extract ? ' in `' + m.extract.replace(/\s+/g, ' ').trim() + '`' : ''}`);
    }
    if (r.status !== 0 && !errors.length) fail('vnu', `exit ${r.status}: ${(r.stderr || '').slice(0, 2000)}`);
  }
}

// ---------------------------------------------------- reader's journey --

async function step(page, name, urlPath, heading) {
  await page.waitForLoadState('load');
  const got = new URL(page.url()).pathname;
  if (got !== urlPath) {
    throw new Error(`${name}: landed on ${got}, expected ${urlPath}`);
  }
  if (heading) {
    const h1 = (await page.locator('h1').first().textContent())?.trim();
    if (!(heading instanceof RegExp ? heading.test(h1) : h1 === heading)) {
      throw new Error(`${name}: heading "${h1}", expected ${heading}`);
    }
  }
  log(`  ✓ ${name}: ${urlPath}`);
}

if (langs.includes('nb') && langs.includes('et')) {
  log("reader's journey");
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(BASE + '/');
    await step(page, 'chooser', '/');
    await page.getByRole('link', { name: /^Norsk bokmål\b/ }).first().click();
    await step(page, 'language home', '/nb/');
    await page.locator('nav.main-nav a[href="/nb/locations/"]').click();
    await step(page, 'locations', '/nb/locations/');
    await page.locator('main').getByRole('link', { name: 'Pärnu', exact: true }).first().click();
    await step(page, 'location', '/nb/locations/parnu/', 'Pärnu');
    const spa = page.locator('main a[href^="/nb/spas/"]').first();
    const spaName = (await spa.textContent()).trim();
    const spaHref = await spa.getAttribute('href');
    await spa.click();
    await step(page, 'spa in Pärnu', spaHref, spaName);
    await page.locator('nav.lang-switcher a[hreflang="et"]').click();
    const etSpa = spaHref.replace('/nb/', '/et/');
    await step(page, 'language switcher to Eesti', etSpa);
    if ((await page.locator('html').getAttribute('lang')) !== 'et') throw new Error('switched page is not lang="et"');
    const cluster = page.locator('main a[href^="/et/clusters/"]').first();
    const clusterName = (await cluster.textContent()).trim();
    const clusterHref = await cluster.getAttribute('href');
    await cluster.click();
    await step(page, 'its cluster', clusterHref, clusterName);
    await page.locator('nav.main-nav a[href="/et/news/"]').click();
    await step(page, 'news', '/et/news/');
    await page.locator('nav.pagination a[rel="next"]').click();
    await step(page, 'news page 2', '/et/news/page/2/');
    if (!(await page.locator('main .item-list li').count())) throw new Error('news page 2 lists no news');
  } catch (e) {
    fail('journey', e.message);
    await page.screenshot({ path: path.join(artifacts, 'screenshots', 'journey-failure.png'), fullPage: true }).catch(() => {});
  }
  await context.close();
} else {
  fail('journey', `needs nb and et, the site has ${langs.join(', ')}`);
}

// ---------------------------------------------------------------- video --

// The About page carries the site's own shortcode in the site's own page
// template (added by the test) and a video: nothing may come from the video
// site before play is pressed; pressing it (keyboard) puts the player in
// place. The player's own requests are blocked here (no network in CI).
if (exists('/en/pages/about/')) {
  log('site shortcode and video');
  const about = '/en/pages/about/';
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const foreign = [];
  await context.route(
    (u) => new URL(u).origin !== ORIGIN,
    (route) => {
      foreign.push(route.request().url());
      return route.abort();
    },
  );
  const page = await context.newPage();
  try {
    await page.goto(BASE + about, { waitUntil: 'load' });
    const own = page.locator('main article.site-page aside.note', { hasText: '95 EUR' });
    if (!(await own.count())) throw new Error(`${about}: no site shortcode inside the site's page template`);
    const figure = page.locator('main figure.video').first();
    if (!(await figure.count())) throw new Error(`${about} has no video`);
    await page.waitForTimeout(300);
    if (foreign.length) throw new Error(`requested before play: ${foreign.join(', ')}`);
    const play = figure.locator('button.video-play');
    if (!(await play.isVisible())) throw new Error('the play button is not shown');
    await play.focus();
    await page.keyboard.press('Enter');
    const frame = figure.locator('iframe');
    await frame.waitFor({ state: 'attached', timeout: 5000 });
    const [src, embed, title] = await Promise.all([
      frame.getAttribute('src'),
      figure.getAttribute('data-embed'),
      frame.getAttribute('title'),
    ]);
    if (src !== embed) throw new Error(`player src ${src}, expected ${embed}`);
    if (!title) throw new Error('the player has no title');
    if (!foreign.some((u) => u.startsWith(embed.split('?')[0]))) throw new Error(`play did not ask for ${embed}`);
    log('  ✓ the site shortcode renders in the site template; nothing from the video site before play; play (Enter) loads the player');
  } catch (e) {
    fail('video', e.message);
  }
  await context.close();
}

// --------------------------------------------------------------- search --

/** Results shown for `?q=` in `lang`: [{href, text, hreflang, tag}]. */
async function results(page) {
  return page.$$eval('#search-results li', (lis) =>
    lis.map((li) => {
      const a = li.querySelector('a');
      const tag = li.querySelector('.lang-tag');
      return {
        href: a && a.getAttribute('href'),
        text: a && a.textContent.trim(),
        hreflang: a && a.getAttribute('hreflang'),
        tag: tag && tag.offsetParent !== null ? tag.textContent.trim() : null,
      };
    }),
  );
}

async function searchCase(lang, query, expect, label) {
  const { page, context } = await open(`/${lang}/search/?q=${encodeURIComponent(query)}`, { ready: waitSearch });
  try {
    const got = await results(page);
    for (const e of expect) {
      const hit = got.find((r) => (e.href ? r.href === e.href : true) && (e.text ? e.text.test(r.text || '') : true));
      if (!hit) {
        fail('search', `${label}: "${query}" in ${lang} shows no result ${e.href || e.text}; got ${got.map((r) => r.href).join(', ') || 'nothing'}`);
      }
    }
    log(`  ✓ "${query}" in ${lang}: ${got.length} results`);
    return { page, context, got };
  } catch (e) {
    fail('search', `${label}: ${e.message}`);
    return { page, context, got: [] };
  }
}

log('search');
{
  // parnu (et): the location and the spas there.
  const spasInParnu = fs
    .readdirSync(path.join(outdir, 'et', 'spas'))
    .filter((s) => {
      const f = path.join(outdir, 'et', 'spas', s, 'index.html');
      return fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('href="/et/locations/parnu/"');
    })
    .map((s) => ({ href: `/et/spas/${s}/` }));
  if (!spasInParnu.length) fail('search', 'the sample site has no et spa in Pärnu');
  let r = await searchCase('et', 'parnu', [{ href: '/et/locations/parnu/' }, ...spasInParnu], 'Pärnu');
  await r.context.close();

  r = await searchCase('tr', 'izmir', [{ href: '/tr/clusters/izmir/', text: /İzmir/ }], 'İzmir without dotted İ');
  await r.context.close();

  r = await searchCase('nb', 'beitostolen', [{ href: '/nb/spas/beitostolen-helsesportsenter/', text: /Beitostølen Helsesportsenter/ }], 'Beitostølen');
  await r.context.close();

  for (const q of ['rigas', 'riga', 'rīga']) {
    r = await searchCase('lv', q, [{ href: '/lv/locations/riga/', text: /Rīga/ }], 'Rīga');
    await r.context.close();
  }

  // Counts take the page language's plural form: the Russian table's
  // form for the number of results (one/few/many), picked in the page.
  r = await searchCase('ru', 'parnu', [], 'plural');
  {
    const strings = JSON.parse(await r.page.$eval('#search-results', (b) => b.getAttribute('data-strings')));
    const forms = strings.search_results_count;
    const n = r.got.length;
    const cat = new Intl.PluralRules('ru').select(n);
    const want = (forms[cat] || forms.other).replace('{count}', n.toLocaleString('ru')).replace('{query}', 'parnu');
    const shown = (await r.page.$eval('#search-results .search-count', (p) => p.textContent)).trim();
    if (typeof forms !== 'object' || !forms.many) fail('search', `plural: ru search_results_count is not a table of forms: ${JSON.stringify(forms)}`);
    else if (shown !== want) fail('search', `plural: ${n} results in ru show "${shown}", expected the ${cat} form "${want}"`);
    else log(`  ✓ ${n} results in ru take the ${cat} form`);
  }
  await r.context.close();

  // Fallback: tr has no spa pages, so a spa found from tr is another
  // language's page, shown with a visible language tag and hreflang.
  r = await searchCase('tr', 'parnu', [], 'fallback');
  const fallback = r.got.filter((x) => x.href && !x.href.startsWith('/tr/'));
  if (!fallback.length) {
    fail('search', 'fallback: "parnu" in tr finds no item in another language');
  }
  for (const x of fallback) {
    const lang = x.href.split('/')[1];
    if (x.hreflang !== lang) fail('search', `fallback result ${x.href} has hreflang=${x.hreflang}, expected ${lang}`);
    if (!x.tag || x.tag.toLowerCase() !== lang) fail('search', `fallback result ${x.href} shows no visible language tag ${lang.toUpperCase()} (got ${x.tag})`);
  }
  await r.context.close();

  // Typing: results follow the box, and the URL follows the query.
  const { page, context } = await open('/nb/search/');
  try {
    const box = page.locator('#q');
    await box.click();
    await box.pressSequentially('beito', { delay: 30 });
    await page.waitForSelector('#search-results a[href="/nb/spas/beitostolen-helsesportsenter/"]', { timeout: 5000 });
    await box.fill('');
    await box.pressSequentially('parn', { delay: 30 });
    await page.waitForSelector('#search-results a[href="/nb/locations/parnu/"]', { timeout: 5000 });
    if (await page.locator('#search-results a[href="/nb/spas/beitostolen-helsesportsenter/"]').count()) {
      fail('search', 'typing: results did not update from "beito" to "parn"');
    }
    if (new URL(page.url()).searchParams.get('q') !== 'parn') fail('search', `typing: URL is ${page.url()}, expected ?q=parn`);
    checkShifts(await layoutShifts(page), '/nb/search/ after typing "beito", then "parn"', { none: true });
    log('  ✓ typing updates results');
  } catch (e) {
    fail('search', `typing in /nb/search/: ${e.message}`);
  }
  await context.close();

  // Without JavaScript the form still submits ?q=.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  try {
    const p = await noJs.newPage();
    await p.goto(BASE + '/en/search/');
    await p.fill('#q', 'parnu');
    await Promise.all([p.waitForURL(/\?q=parnu/), p.press('#q', 'Enter')]);
    log('  ✓ the form submits ?q= without JavaScript');
  } catch (e) {
    fail('search', `form without JavaScript: ${e.message}`);
  }
  await noJs.close();
}

await browser.close();

if (failures.length) {
  console.log(`\n${failures.length} FAILURES:`);
  for (const f of failures) console.log('  ✗ ' + f);
  process.exit(1);
}
console.log(`\nall browser checks passed (${pages.length} pages, ${langs.length} languages); artifacts in ${artifacts}`);
