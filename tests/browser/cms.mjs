// The web editor in a real browser: serves a built site's /admin/ on
// 127.0.0.1, starts decap-server (Decap CMS's local backend) on the site's
// folder, and drives the editor in headless Chromium: creates a member
// spa and edits a translation, as an editor would. The calling test then
// checks and builds what the editor wrote.
//
// node cms.mjs SITE_DIR PUBLIC_DIR BACKEND_PORT ARTIFACTS_DIR
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const [siteDir, publicDir, backendPort, artifacts] = process.argv.slice(2);
const here = fileURLToPath(new URL('.', import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.yml': 'text/yaml', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

// The built site, GET only, nothing outside PUBLIC_DIR.
const server = createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (path.includes('..')) { res.writeHead(404).end(); return; }
  let file = join(publicDir, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise(ok => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const backend = spawn(process.execPath, [join(here, 'node_modules/decap-server/dist/index.js')], {
  env: { ...process.env, PORT: backendPort, BIND_HOST: '127.0.0.1', MODE: 'fs', GIT_REPO_DIRECTORY: siteDir, LOG_LEVEL: 'info' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let backendLog = '';
backend.stdout.on('data', d => { backendLog += d; });
backend.stderr.on('data', d => { backendLog += d; });
for (let i = 0; i < 100 && !backendLog.includes('listening'); i++) await new Promise(ok => setTimeout(ok, 100));

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const errors = [];
page.on('pageerror', e => errors.push(String(e)));
page.on('console', m => { if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url || ''}`); });
const outside = [];
page.on('request', r => { const u = new URL(r.url()); if (!['127.0.0.1', 'localhost'].includes(u.hostname) && u.protocol.startsWith('http')) outside.push(r.url()); });

let step = 0;
async function shot(name, fullPage = false) {
  await page.screenshot({ fullPage, path: join(artifacts, `cms-${String(++step).padStart(2, '0')}-${name}.png`) });
}

/** The inputs labelled `label`, one per language shown (Decap adds "(optional)"). */
function field(label) {
  return page.getByLabel(new RegExp(`^${label}( \\(optional\\))?$`, 'i'));
}

/** Waits until the input `locator` holds `value`. */
async function expect(locator, value) {
  for (let i = 0; i < 100; i++) {
    if ((await locator.inputValue().catch(() => null)) === value) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the field never showed ${JSON.stringify(value)}`);
}

/** Chooses `option` in the select or relation field labelled `label` (the default language's). */
async function pick(label, option) {
  const input = field(label).first();
  await input.click();
  await input.pressSequentially(option.slice(0, 4));
  await page.getByText(option, { exact: false }).last().click();
}

/** Publishes the entry and waits until Decap reports it saved. */
async function publish() {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Publish now').click();
  try {
    await page.getByText(/entry saved/i).first().waitFor({ timeout: 20000 });
  } catch (e) {
    await shot('publish-failed', true);
    throw e;
  }
}

let failed = null;
try {
  await page.goto(`${base}/admin/`);
  await page.getByRole('button', { name: /login/i }).click({ timeout: 20000 });
  await page.getByText('Members (spas, clinics…)').first().waitFor();
  await shot('collections');

  // A new member: the default language's fields on the left, Norwegian on the right.
  await page.goto(`${base}/admin/#/collections/spas/new`);
  const title = field('Title');
  await title.nth(0).fill('Havbris Spa');
  await title.nth(1).fill('Havbris spa');
  await field('Description').nth(0).fill('A wellness spa by the sea.');
  await field('Description').nth(1).fill('Et velværespa ved havet.');
  await pick('Cluster', 'Fjord Health');
  await pick('Location', 'Tartu');
  await pick('Kind', 'wellness-spa');
  await shot('new-spa-filled');
  await publish();
  await shot('new-spa-published');

  // A translation edited: the Norwegian description of an existing member.
  await page.goto(`${base}/admin/#/collections/spas/entries/kurbad`);
  await page.reload();
  await expect(field('Title').nth(0), 'Kurbadet Rehabilitation');
  const nbDescription = field('Description').nth(1);
  await expect(nbDescription, 'Et rehabiliteringssenter i Ålesund.');
  await nbDescription.fill('Et rehabiliteringssenter ved sjøen i Ålesund.');
  await publish();
  await shot('translation-published');
} catch (e) {
  failed = e;
}
await browser.close();
backend.kill();
server.close();
const problems = [];
if (failed) problems.push(`the editor did not do what an editor does: ${failed.stack || failed}`);
if (outside.length) problems.push(`the editor asked hosts other than this computer: ${outside.join(', ')}`);
for (const e of errors.filter(e => !/Failed to load resource/.test(e))) problems.push(`page error: ${e}`);
if (problems.length) {
  console.log('FAILURES:\n' + problems.join('\n'));
  console.log('decap-server:\n' + backendLog);
  process.exit(1);
}
console.log('the editor created a spa and edited a translation');
