/**
 * What the CLI writes for a person at a terminal and for a script (issue 20): dates default to the store's
 * last day of data and a date past it is said; front lines and series are tables on a terminal, GeoJSON or
 * CSV when asked (or, for GeoJSON, on a pipe); names in tables are whole.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT, main } from '../src/cli/main.js';
import { demoStore, runCli, serveStore, tempDir } from './helpers.js';

/** The CLI as at a terminal: standard output says it is a TTY. */
async function runTty(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runOn({ out: true, err: false }, ...args);
}

/** The CLI with standard output and/or standard error as terminals. */
async function runOn(tty: { out: boolean; err: boolean }, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const term = (s: PassThrough, on: boolean): PassThrough => (on ? Object.assign(s, { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true }) : s);
  const out = term(new PassThrough(), tty.out);
  const err = term(new PassThrough(), tty.err);
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => (o += c.toString()));
  err.on('data', (c: Buffer) => (e += c.toString()));
  const code = await main(['node', 'frontline', ...args], out, err);
  return { code, out: o, err: e };
}

describe('CLI output for people and for scripts', () => {
  let db: string;
  beforeAll(async () => {
    const store = await demoStore('fl-cliout-');
    db = store.location;
    await store.close();
  }, 60_000);

  it('a date past the data is said on stderr and in the JSON; a date within it is not', async () => {
    const late = await runCli('--db', db, 'control', 'at', '2019-06-01', '--json');
    expect(late.code).toBe(EXIT.ok);
    expect(late.err).toMatch(/warning: 2019-06-01 is after the store's last data/);
    expect((JSON.parse(late.out) as { warnings: string[] }).warnings.join(' ')).toMatch(/after the store's last data/);
    const within = await runCli('--db', db, 'control', 'at', '2017-06-01', '--json');
    expect(within.err).not.toMatch(/warning/);
    expect((JSON.parse(within.out) as { warnings: string[] }).warnings).toEqual([]);
  });

  it("commands default to the store's last day of data, not to a date fixed in the code", async () => {
    const copy = join(tempDir('fl-latest-'), 'later.db');
    copyFileSync(db, copy);
    // Raqqa taken by the SDF on 2017-10-20: the store now runs to that day.
    expect((await runCli('--db', copy, 'control', 'add', '--place', 'raqqa', '--actor', 'sdf', '--from', '2017-10-20', '--source', 'test')).code).toBe(EXIT.ok);
    const at = JSON.parse((await runCli('--db', copy, 'control', 'at', '--json')).out) as { date: string; places: { placeId: string; bloc: string }[] };
    expect(at.date).toBe('2017-10-20');
    expect(at.places.find((p) => p.placeId === 'raqqa')?.bloc).toBe('sdf');
    const summary = JSON.parse((await runCli('--db', copy, 'demo', '--json')).out) as { date: string };
    expect(summary.date).toBe('2017-10-20');
    const fl = JSON.parse((await runCli('--db', copy, 'frontlines', '--geojson')).out) as { frontline: { date: string } };
    expect(fl.frontline.date).toBe('2017-10-20');
  });

  it("the API says so too: /api/meta's lastDate is the store's last day of data, /api/control warns past it", async () => {
    const copy = join(tempDir('fl-latest-api-'), 'later.db');
    copyFileSync(db, copy);
    expect((await runCli('--db', copy, 'control', 'add', '--place', 'raqqa', '--actor', 'sdf', '--from', '2017-10-20', '--source', 'test')).code).toBe(EXIT.ok);
    const { openSqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
    const { base, close } = await serveStore(openSqliteStore(copy));
    try {
      expect(((await (await fetch(`${base}/api/meta`)).json()) as { lastDate: string }).lastDate).toBe('2017-10-20');
      const late = (await (await fetch(`${base}/api/control?date=2019-06-01`)).json()) as { warnings: string[] };
      expect(late.warnings.join(' ')).toMatch(/after the store's last data \(2017-10-20/);
      expect(((await (await fetch(`${base}/api/control?date=2017-06-01`)).json()) as { warnings: string[] }).warnings).toEqual([]);
    } finally {
      await close();
    }
  });

  it('frontlines: a summary table on a terminal, GeoJSON with --geojson or on a pipe', async () => {
    const tty = await runTty('--db', db, 'frontlines', '2017-06-01');
    expect(tty.code).toBe(EXIT.ok);
    expect(tty.out).not.toMatch(/FeatureCollection/);
    expect(tty.out).toMatch(/Front lines on 2017-06-01/);
    expect(tty.out).toMatch(/Islamic State/); // blocs by name
    const asked = await runTty('--db', db, 'frontlines', '2017-06-01', '--geojson');
    expect((JSON.parse(asked.out) as { type: string }).type).toBe('FeatureCollection');
    const piped = await runCli('--db', db, 'frontlines', '2017-06-01');
    expect((JSON.parse(piped.out) as { type: string }).type).toBe('FeatureCollection');
  });

  it('control series: a table by default, CSV with --csv, JSON with --json', async () => {
    const plain = await runTty('--db', db, 'control', 'series', '2017-06-01', '2017-06-15');
    expect(plain.out).not.toMatch(/^date,bloc/m);
    expect(plain.out).toMatch(/^date\s+bloc\s+places/m);
    expect(plain.out).toMatch(/Government of Syria and allies/);
    const csv = await runCli('--db', db, 'control', 'series', '2017-06-01', '2017-06-15', '--csv');
    expect(csv.out.split('\n')[0]).toBe('date,bloc,places,population,areaKm2');
    const json = JSON.parse((await runCli('--db', db, 'control', 'series', '2017-06-01', '2017-06-15', '--json')).out) as { date: string; bloc: string }[];
    // Three weekly dates, each with its rows, the same as the CSV's.
    expect([...new Set(json.map((r) => r.date))]).toEqual(['2017-06-01', '2017-06-08', '2017-06-15']);
    expect(csv.out.trim().split('\n').length - 1).toBe(json.length);
  });

  it('long commands show a progress bar on stderr at a terminal, and nothing there in a pipe', async () => {
    const seen = await runOn({ out: false, err: true }, '--db', db, 'control', 'series', '2017-01-01', '2017-07-31', '--csv');
    expect(seen.err).toMatch(/\d+\/31 dates/);
    expect(seen.out.split('\n')[0]).toBe('date,bloc,places,population,areaKm2'); // the data itself untouched
    const piped = await runOn({ out: false, err: false }, '--db', db, 'control', 'series', '2017-01-01', '2017-07-31', '--csv');
    expect(piped.err).toBe('');
    expect(piped.out).toBe(seen.out);
    const off = await runOn({ out: false, err: true }, '--db', db, 'control', 'series', '2017-01-01', '2017-07-31', '--csv', '--no-progress');
    expect(off.err).toBe('');
  });

  it('tables print whole names: every actor and location of the events listed appears uncut', async () => {
    const list = JSON.parse((await runCli('--db', db, 'events', '--limit', '20', '--json')).out) as { actor1: string; actor2: string; location: string; fatalities: { best: number | null } }[];
    const text = (await runTty('--db', db, 'events', '--limit', '20')).out;
    const lines = text.trim().split('\n').slice(1);
    expect(lines.length).toBe(list.length);
    list.forEach((e, i) => {
      for (const name of [e.actor1, e.actor2, e.location]) expect(lines[i]).toContain(name);
      if (e.fatalities.best === null) expect(lines[i]).toMatch(/unknown$/);
    });
    expect(list.some((e) => e.actor1.length > 34 || e.actor2.length > 30)).toBe(true); // names that used to be cut
  });
});
