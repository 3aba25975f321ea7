/**
 * Filters and targets as people type them (issue 20): an actor by alias, a type in any case, a place in a
 * common misspelling, a race objective as /api/meta lists it; an unknown value is an error that names the
 * close ones, in the CLI and the API alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/cli/main.js';
import { demoStore, runCli, serveStore } from './helpers.js';

describe('filters and look-ups resolve aliases, case and spellings', () => {
  let db: string;
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const store = await demoStore('fl-lookups-');
    db = store.location;
    ({ base, close } = await serveStore(store));
  }, 60_000);
  afterAll(() => close?.());

  const ids = async (...args: string[]): Promise<string[]> => {
    const r = await runCli('--db', db, 'events', '--limit', '1000', '--json', ...args);
    expect(r.code).toBe(EXIT.ok);
    return (JSON.parse(r.out) as { id: string }[]).map((e) => e.id);
  };

  it('CLI: --actor by an alias and --type in any case give what the id and the canonical type give', async () => {
    const byId = await ids('--actor', 'isis');
    expect(byId.length).toBeGreaterThan(0);
    expect(await ids('--actor', 'Daesh')).toEqual(byId);
    expect(await ids('--actor', 'Islamic State')).toEqual(byId);
    const battles = await ids('--type', 'Battles');
    expect(battles.length).toBeGreaterThan(0);
    expect(await ids('--type', 'battles')).toEqual(battles);
    expect(await ids('--type', 'BATTLES')).toEqual(battles);
  });

  it('CLI: an unknown actor or type is a usage error that suggests the close ones', async () => {
    const t = await runCli('--db', db, 'events', '--type', 'battle');
    expect(t.code).toBe(EXIT.usage);
    expect(t.err).toMatch(/did you mean "Battles"/);
    const a = await runCli('--db', db, 'events', '--actor', 'Hayat Tahrr al-Sham');
    expect(a.code).toBe(EXIT.usage);
    expect(a.err).toMatch(/no actor "Hayat Tahrr al-Sham".*did you mean "hts"/);
    const x = await runCli('--db', db, 'export', 'acled', '--type', 'Battels');
    expect(x.code).toBe(EXIT.usage);
    expect((await runCli('--db', db, 'events', '--held-by', 'Governmnet')).err).toMatch(/did you mean "government"/);
    const zones = JSON.parse((await runCli('--db', db, 'events', '--zone', 'sw-ceasefire', '--json', '--limit', '1000')).out) as unknown[];
    const zoneName = (await get('/api/meta')).body as { zones: { id: string; name: string }[] };
    const sw = zoneName.zones.find((z) => z.id === 'sw-ceasefire')!;
    expect(JSON.parse((await runCli('--db', db, 'events', '--zone', sw.name.toUpperCase(), '--json', '--limit', '1000')).out)).toEqual(zones);
    expect((await runCli('--db', db, 'events', '--zone', 'sw-cesefire')).err).toMatch(/did you mean "sw-ceasefire"/);
  });

  it('CLI: places --name finds common misspellings of Deir ez-Zor, Manbij and al-Bab', async () => {
    for (const [name, id] of [['Der Ezzor', 'deir-ez-zor'], ['Manbej', 'manbij'], ['Albab', 'al-bab'], ['Dayr az-Zawr', 'deir-ez-zor']] as const) {
      const r = await runCli('--db', db, 'places', '--name', name, '--json');
      expect(r.code).toBe(EXIT.ok);
      expect((JSON.parse(r.out) as { id: string }[])[0]?.id, name).toBe(id);
    }
  });

  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(base + path);
    return { status: r.status, body: await r.json() };
  };
  const featureIds = async (q: string): Promise<string[]> => {
    const r = await get(`/api/events?limit=5000&${q}`);
    expect(r.status, q).toBe(200);
    return (r.body as { features: { id: string }[] }).features.map((f) => f.id);
  };

  it('API: actor aliases, type and sub-type case, bloc names; unknown values are a 400 with suggestions', async () => {
    const isis = await featureIds('actor=isis');
    expect(isis.length).toBeGreaterThan(0);
    expect(await featureIds('actor=Daesh')).toEqual(isis);
    const battles = await featureIds('type=Battles');
    expect(await featureIds('type=battles')).toEqual(battles);
    expect(await featureIds('type=battles&subType=armed%20clash')).toEqual(await featureIds('type=Battles&subType=Armed%20clash'));
    expect(await featureIds('heldBy=Government')).toEqual(await featureIds('heldBy=government'));
    const bad = await get('/api/events?type=battle');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/did you mean \\"Battles\\"/);
    expect((await get('/api/events?actor=nobody-at-all')).status).toBe(400);
    const csv = await fetch(`${base}/api/export?format=acled&actor=Daesh`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split('\n').length - 1).toBe(isis.length);
  });

  it('API: the map keeps unknown fatalities unknown (null), not 0', async () => {
    const list = ((await get('/api/events?limit=5000')).body as { features: { id: string; properties: { fatalities: { best: number | null } } }[] }).features;
    const map = (await get('/api/events/map')).body as { id: string[]; best: (number | null)[] };
    const best = new Map(map.id.map((id, i) => [id, map.best[i]]));
    expect(list.some((f) => f.properties.fatalities.best === null)).toBe(true);
    for (const f of list) expect(best.get(f.id), f.id).toBe(f.properties.fatalities.best);
  });

  it('API: places by misspelling; the race takes every objective /api/meta offers', async () => {
    expect(((await get('/api/places?name=Manbej')).body as { id: string }[])[0]?.id).toBe('manbij');
    const meta = (await get('/api/meta')).body as { objectives: { id: string; name: string }[] };
    expect(meta.objectives.map((o) => o.name)).toEqual(expect.arrayContaining(['Deir ez-Zor city', 'Abu Kamal–al-Qaim crossing']));
    for (const o of meta.objectives) {
      for (const q of [o.name, o.id]) {
        const r = await get(`/api/race?date=2017-07-31&objective=${encodeURIComponent(q)}`);
        expect(r.status, q).toBe(200);
        expect((r.body as { objectives: { objective: string }[] }).objectives[0]!.objective).toBe(o.name);
      }
    }
    const none = await get('/api/race?date=2017-07-31&objective=Atlantis');
    expect(none.status).toBe(400);
    // Blocs by name or in any case, in the race and in exposure; an unknown one names the close ones.
    const byName = await get('/api/race?date=2017-07-31&objective=Raqqa&blocs=SDF,Government%20of%20Syria%20and%20allies');
    expect(byName.status).toBe(200);
    expect(Object.keys((byName.body as { starts: Record<string, unknown> }).starts).sort()).toEqual(['government', 'sdf']);
    const bad = await get('/api/race?date=2017-07-31&objective=Raqqa&blocs=goverment');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/did you mean \\"government\\"/);
    expect(((await get('/api/exposure?date=2017-07-31&bloc=SDF')).body as { bloc: string }).bloc).toBe('sdf');
  }, 60_000);
});
