/**
 * The compare view (control diff) on the demo (issue 20): a place whose holder did not change is nobody's
 * gain — HTS's places before its bloc membership began (28 January 2017) are the opposition's, not
 * "unaffiliated" — and the API names blocs and places, not ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/main.js';
import { demoStore, runCli, serveStore } from '../helpers.js';

describe('control diff across an actor joining its bloc', () => {
  let db: string;
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const store = await demoStore('fl-unaff-');
    db = store.location;
    ({ base, close } = await serveStore(store));
  }, 60_000);
  afterAll(() => close?.());

  const holders = async (date: string): Promise<Map<string, string>> => {
    const r = await runCli('--db', db, 'control', 'at', date, '--json');
    expect(r.code).toBe(EXIT.ok);
    return new Map((JSON.parse(r.out) as { places: { placeId: string; actor: string }[] }).places.map((p) => [p.placeId, p.actor]));
  };

  it('a place held by the same actor on both dates is in nobody’s gains or losses', async () => {
    const [from, to] = ['2017-01-01', '2017-07-31'];
    const [a, b] = [await holders(from), await holders(to)];
    const unchanged = [...a].filter(([id, actor]) => b.get(id) === actor).map(([id]) => id);
    const d = JSON.parse((await runCli('--db', db, 'control', 'diff', from, to, '--json')).out) as { blocs: { bloc: string; placesGained: string[]; placesLost: string[] }[] };
    const moved = new Set(d.blocs.flatMap((x) => [...x.placesGained, ...x.placesLost]));
    expect(unchanged.filter((id) => moved.has(id))).toEqual([]);
    expect([...a.values()]).toContain('hts'); // HTS held places on 1 January
    expect(d.blocs.find((x) => x.bloc === 'unaffiliated')?.placesLost ?? []).toEqual([]);
  });

  it('the API names blocs and places in the diff', async () => {
    const r = await fetch(`${base}/api/control/diff.geojson?from=2017-01-01&to=2017-07-31`);
    const body = (await r.json()) as { blocs: { bloc: string; name: string; placesGained: string[]; placesGainedNames: string[] }[] };
    const sdf = body.blocs.find((x) => x.bloc === 'sdf')!;
    expect(sdf.name).toBe('SDF and US-backed Syrian forces');
    expect(sdf.placesGained).toContain('tabqa');
    expect(sdf.placesGainedNames).toContain('Tabqa');
  });
});
