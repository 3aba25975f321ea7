/**
 * `frontline map [date] --out FILE.svg|FILE.pdf`: control on a date as a map for publication (title,
 * legend, scale bar, north arrow, sources), drawn by src/control/map-svg.ts; the PDF is that SVG printed
 * by headless Chromium, like the briefings.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { loadControlModel } from '../control/load.js';
import { publicationMapSvg } from '../control/map-svg.js';
import { printPdf } from '../stabilize/brief.js';
import { esc } from '../stabilize/svg.js';
import type { Store } from '../store/store.js';
import { dateOrLatest } from './dates.js';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
  err: NodeJS.WritableStream;
}

export function parseMapBbox(s: string): [number, number, number, number] {
  const v = s.split(',').map(Number);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || !(v[0]! < v[2]! && v[1]! < v[3]!)) throw new UsageError(`--bbox "${s}": four numbers west,south,east,north with west < east and south < north (e.g. 37.5,35.3,39.5,36.6)`);
  return v as [number, number, number, number];
}

export function registerMapCommand(program: Command, io: Io): void {
  program
    .command('map')
    .description('control on a date as a map for publication: SVG, or PDF via headless Chromium (title, legend, scale bar, north arrow, sources)')
    .argument('[date]', "YYYY-MM-DD (default: the store's last day of data)")
    .requiredOption('--out <file>', 'FILE.svg or FILE.pdf')
    .option('--bbox <w,s,e,n>', 'the part of the map to show (default: every place)')
    .option('--title <text>', 'the title (default: "Control on DATE")')
    .addHelpText('after', '\nExamples:\n  frontline map 2017-06-01 --out syria.svg\n  frontline map --bbox 37.5,35.3,39.5,36.6 --title "Tabqa and the dam" --out tabqa.pdf')
    .action(async (d: string | undefined, o: { out: string; bbox?: string; title?: string }, cmd: Command) => {
      if (!/\.(svg|pdf)$/i.test(o.out)) throw new UsageError(`--out ${o.out}: end it with .svg or .pdf`);
      const bbox = o.bbox ? parseMapBbox(o.bbox) : undefined;
      const store = await io.open(cmd);
      const { date, warnings } = await dateOrLatest(store, d, 'date');
      for (const w of warnings) io.err.write(`warning: ${w}\n`);
      const svg = publicationMapSvg(await loadControlModel(store), { date, ...(bbox ? { bbox } : {}), ...(o.title ? { title: o.title } : {}) });
      if (/\.svg$/i.test(o.out)) writeFileSync(o.out, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
      else printPdf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(o.title ?? `Control on ${date}`)}</title><style>@page { size: A4 landscape; margin: 8mm; } body { margin: 0; } svg { width: 100%; height: auto; }</style></head><body>${svg}</body></html>`, o.out);
      io.print(`${o.out}: control on ${date}`);
    });
}
