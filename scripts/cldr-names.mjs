#!/usr/bin/env node
// Writes data/cldr/names.tsv, the country and language names klynge
// compiles in, from the Unicode CLDR as packaged on npm (Unicode License
// v3, data/cldr/LICENSE):
//
//   mkdir -p /tmp/cldr && cd /tmp/cldr && npm install cldr-localenames-full@48.2.0
//   node scripts/cldr-names.mjs /tmp/cldr/node_modules data/cldr/names.tsv
//
// One line per name: the language it is written in (a language of the
// default theme, themes/default/i18n/), the code it names, the name. Codes
// in capitals are ISO 3166-1 countries (src/site/countries.rs), in lower
// case ISO 639-1 languages (src/site/codes.rs). Only names that differ from
// the code are written; lines are sorted, so a new CLDR release shows as a
// plain diff.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error('usage: node scripts/cldr-names.mjs NODE_MODULES OUT.tsv');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const src = (p) => readFileSync(join(root, p), 'utf8');
const countries = src('src/site/countries.rs').match(/const CODES: &str = "([^"]+)"/)[1].split(' ');
const languages = [...src('src/site/codes.rs').matchAll(/\("([a-z]{2})", "/g)].map((m) => m[1]);
const pageLangs = readdirSync(join(root, 'themes/default/i18n'))
  .filter((f) => f.endsWith('.toml'))
  .map((f) => f.slice(0, -5))
  .sort();

const main = join(modules, 'cldr-localenames-full', 'main');
// The CLDR locale each theme language is written in.
const cldrLocale = { nb: 'nb', nn: 'nn', zh: 'zh', sr: 'sr' };
const read = (loc, kind) =>
  JSON.parse(readFileSync(join(main, loc, `${kind}.json`), 'utf8')).main[loc].localeDisplayNames[kind];

const lines = [];
for (const lang of pageLangs) {
  const loc = cldrLocale[lang] || lang;
  const territories = read(loc, 'territories');
  const langNames = read(loc, 'languages');
  for (const c of countries) {
    const name = territories[c];
    if (name && name !== c) lines.push(`${lang}\t${c}\t${name}`);
  }
  for (const l of languages) {
    const name = langNames[l];
    if (name && name !== l) lines.push(`${lang}\t${l}\t${name}`);
  }
}
lines.sort();
const version = JSON.parse(readFileSync(join(modules, 'cldr-localenames-full', 'package.json'), 'utf8')).version;
writeFileSync(out, `# Unicode CLDR ${version} (cldr-localenames-full), by scripts/cldr-names.mjs\n${lines.join('\n')}\n`);
console.log(`${lines.length} names in ${pageLangs.length} languages -> ${out}`);
