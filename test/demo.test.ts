import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controlAt } from '../src/core/control.js';
import { DEMO_DIR, loadDemo } from '../src/demo/load-demo.js';
import { summarize } from '../src/demo/summary.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { buildDemoFiles } from '../scripts/demo-builder.js';

describe('the Syria 2017 demo', () => {
  it('data/demo is exactly what scripts/demo-facts.ts and demo-events.ts produce', () => {
    for (const [name, text] of Object.entries(buildDemoFiles())) expect(readFileSync(`${DEMO_DIR}${name}`, 'utf8'), name).toBe(text);
  });

  it('has what the issue asks for, and every fact has a source', async () => {
    const s = openSqliteStore(':memory:');
    await loadDemo(s);
    const places = await s.listPlaces();
    expect(places.length).toBeGreaterThanOrEqual(150);
    expect(places.filter((p) => p.geonamesId !== null).length).toBeGreaterThanOrEqual(150);
    for (const p of places) expect(p.sources.length, p.id).toBeGreaterThan(0);
    for (const name of ['Raqqa', 'Deir Ezzor', 'Abu Kamal', 'Palmyra', 'Al Sukhna', 'Tanf']) expect((await s.listPlaces({ name })).length, name).toBeGreaterThan(0);
    for (const kind of ['border-crossing', 'base', 'dam', 'oil-field']) expect(places.some((p) => p.kind === kind), kind).toBe(true);
    const obs = await s.listControlObservations();
    for (const o of obs) expect(o.source.name.length, o.id).toBeGreaterThan(10);
    // At least monthly: every place observed in each month from January to July 2017.
    for (const p of places) {
      const months = new Set(obs.filter((o) => o.place === p.id).map((o) => o.from.slice(0, 7)));
      const first = [...months].sort()[0]!;
      for (const m of ['2017-01', '2017-02', '2017-03', '2017-04', '2017-05', '2017-06', '2017-07'].filter((x) => x >= first)) expect(months.has(m), `${p.id} ${m}`).toBe(true);
    }
    const events = (await s.queryEvents({ limit: 1000 })).events;
    expect(events.length).toBeGreaterThanOrEqual(60);
    for (const e of events) {
      expect(e.sources.length, e.id).toBeGreaterThan(0);
      expect(e.notes, e.id).toMatch(/Source: https?:\/\//);
      expect(e.date >= '2017-01-01' && e.date <= '2017-07-31', e.id).toBe(true);
      expect(e.actor1Id, `${e.id} actor1 ${e.actor1}`).not.toBeNull();
    }
    for (const z of await s.listZones()) expect(z.sources.length, z.id).toBeGreaterThan(0);
    for (const r of await s.listRelations()) expect(r.source, `${r.a}-${r.b}`).toBeDefined();
    for (const a of await s.listActors()) expect(a.sources.length, a.id).toBeGreaterThan(0);
    expect((await s.listBlocs()).map((b) => b.id)).toEqual(expect.arrayContaining(['government', 'coalition', 'sdf', 'isis', 'turkey', 'opposition']));
    expect((await s.listZones()).map((z) => z.kind).sort()).toEqual(['ceasefire', 'de-escalation', 'de-escalation', 'de-escalation', 'de-escalation', 'deconfliction']);
    // The events the issue names.
    const find = (date: string, re: RegExp) => events.filter((e) => e.date === date && re.test(e.notes));
    expect(find('2017-05-18', /al-Tanf/)).toHaveLength(1);
    expect(find('2017-06-06', /north-west of al-Tanf/)).toHaveLength(1);
    expect(find('2017-06-18', /Su-22/)).toHaveLength(1);
    expect(find('2017-06-08', /drone/).length + find('2017-06-20', /drone/).length).toBe(2);
    expect(find('2017-06-18', /missiles/)).toHaveLength(1);
  });

  it('control follows the record: Palmyra, al-Bab, Tabqa, Raqqa and the Deir ez-Zor siege', async () => {
    const s = openSqliteStore(':memory:');
    await loadDemo(s);
    const obs = await s.listControlObservations();
    const at = (d: string) => controlAt(obs, d);
    expect(at('2017-03-01').get('palmyra')?.actor).toBe('isis');
    expect(at('2017-03-02').get('palmyra')?.actor).toBe('saa');
    expect(at('2017-02-22').get('al-bab')).toMatchObject({ actor: 'isis', status: 'contested' });
    expect(at('2017-02-23').get('al-bab')?.actor).toBe('tfsa');
    expect(at('2017-05-09').get('tabqa')?.actor).toBe('isis');
    expect(at('2017-05-10').get('tabqa')?.actor).toBe('sdf');
    expect(at('2017-06-05').get('raqqa')).toMatchObject({ actor: 'isis', status: 'held' });
    expect(at('2017-06-06').get('raqqa')).toMatchObject({ actor: 'isis', status: 'contested' });
    for (const d of ['2017-01-01', '2017-04-15', '2017-07-31']) expect(at(d).get('deir-ez-zor')).toMatchObject({ actor: 'saa', status: 'besieged' });
  });

  it('summarizes: the government holds the most people; ISIS holds the Abu Kamal crossing on 31 July 2017', async () => {
    const s = openSqliteStore(':memory:');
    await loadDemo(s);
    const sum = await summarize(s, '2017-07-31');
    expect(sum.control[0]!.bloc).toBe('government');
    const places = await s.listPlaces();
    const total = places.reduce((a, p) => a + (p.population ?? 0), 0);
    expect(sum.control.reduce((a, t) => a + t.population, 0)).toBe(total);
    expect(sum.objectives.find((o) => o.id === 'obj-abu-kamal-crossing')).toMatchObject({ holder: 'isis' });
    expect(sum.events.total).toBe(63);
  });

  it('loading twice changes nothing', async () => {
    const s = openSqliteStore(':memory:');
    await loadDemo(s);
    const r = await loadDemo(s);
    for (const i of r.imports) expect(i.created + i.updated, i.file).toBe(0);
  });
});
