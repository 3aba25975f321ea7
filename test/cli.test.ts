import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDbPath, EXIT } from '../src/cli/main.js';
import { FIXTURES, runCli, tempDir } from './helpers.js';

const run = runCli;

describe('frontline CLI', () => {
  it('has --help on every command', async () => {
    for (const cmd of ['start', 'init', 'demo', 'import', 'export', 'events', 'places', 'history', 'imports', 'frontlines', 'control', 'control at', 'control diff', 'control series', 'control add', 'control retract', 'actors', 'actors alias', 'actors import', 'actors resolve', 'serve', 'roads', 'roads import', 'roads info', 'race', 'race calibrate', 'race backtest', 'exposure']) {
      const r = await run(...cmd.split(' '), '--help');
      expect(r.code, cmd).toBe(EXIT.ok);
      expect(r.out, cmd).toMatch(/Usage: frontline/);
    }
  });

  it('starts on the demo, then answers queries in text and JSON', async () => {
    const db = join(tempDir(), 'f.db');
    const start = await run('--db', db, 'start', '--json');
    expect(start.code).toBe(EXIT.ok);
    const summary = JSON.parse(start.out) as { control: { bloc: string }[]; events: { total: number } };
    expect(summary.events.total).toBe(63);
    const ev = await run('--db', db, 'events', '--since', '2017-06-18', '--until', '2017-06-18', '--json');
    const events = JSON.parse(ev.out) as { id: string }[];
    expect(events.map((e) => e.id).sort()).toEqual(['FLD055', 'FLD056', 'FLD057']);
    // 38–39.5 E, 33–34 N: the al-Tanf strikes and shoot-downs, and the 9 June arrival at the Iraqi border (39.05 E, 33.95 N).
    const bbox = await run('--db', db, 'events', '--bbox', '38,33,39.5,34', '--json');
    expect((JSON.parse(bbox.out) as { id: string }[]).map((e) => e.id)).toEqual(['FLD047', 'FLD051', 'FLD052', 'FLD053', 'FLD058']);
    const places = await run('--db', db, 'places', '--name', 'Dayr az-Zawr', '--json');
    expect((JSON.parse(places.out) as { id: string }[])[0]!.id).toBe('deir-ez-zor');
  });

  it('lets the user extend the alias table, and imports then resolve the new spelling', async () => {
    const db = join(tempDir(), 'f.db');
    await run('--db', db, 'demo', '--json');
    expect((await run('--db', db, 'actors', 'resolve', 'Daesh fighters')).out).toMatch(/no actor/);
    expect((await run('--db', db, 'actors', 'alias', 'isis', 'Daesh fighters')).out).toMatch(/isis: added "Daesh fighters"/);
    expect((await run('--db', db, 'actors', 'resolve', 'Daesh fighters')).out.trim()).toBe('isis');
    expect((await run('--db', db, 'actors', 'alias', 'sdf', 'Islamic State')).code).toBe(EXIT.usage); // taken by isis
    expect((await run('--db', db, 'actors', 'alias', 'nobody', 'x')).code).toBe(EXIT.usage);
    const history = JSON.parse((await run('--db', db, 'history', 'actor', 'isis')).out) as { op: string }[];
    expect(history.map((h) => h.op)).toEqual(['create', 'update']);
  });

  it('uses exit codes scripts can trust', async () => {
    const db = join(tempDir(), 'f.db');
    expect((await run('--db', db, 'import', 'nonsense', 'x.csv')).code).toBe(EXIT.usage);
    expect((await run('--db', db, 'events', '--since', '2017-02-30')).code).toBe(EXIT.usage);
    expect((await run('--db', db, 'events', '--bbox', '1,2,3')).code).toBe(EXIT.usage);
    const missing = await run('--db', db, 'import', 'acled', join(FIXTURES, 'nope.csv'));
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.err).toMatch(/nope\.csv: cannot read the file/);
    const partial = await run('--db', db, 'import', 'acled', join(FIXTURES, 'acled-sample.csv'));
    expect(partial.code).toBe(EXIT.rejected);
    expect(partial.err).toMatch(/acled-sample\.csv:7: event_date/);
    const strict = await run('--db', db, 'import', 'acled', join(FIXTURES, 'acled-sample.csv'), '--strict');
    expect(strict.code).toBe(EXIT.failed);
  });

  it('finds its store: $FRONTLINE_DB, then ./frontline.db, then the user data directory', () => {
    expect(defaultDbPath({ FRONTLINE_DB: '/x/y.db' }, '/tmp')).toBe('/x/y.db');
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' }, tempDir())).toBe('/data/frontline/frontline.db');
  });
});
