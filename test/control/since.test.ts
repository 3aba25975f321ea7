/**
 * "Since" is when the holder took the place, not the date of the latest source restating it (issue 20).
 */
import { describe, expect, it } from 'vitest';
import { ControlTimeline } from '../../src/control/timeline.js';
import type { ControlObservation } from '../../src/core/schemas.js';
import { EXIT } from '../../src/cli/main.js';
import { demoStore, runCli } from '../helpers.js';

const obs = (actor: string, from: string, status: ControlObservation['status'] = 'held'): ControlObservation => ({ id: `x-${from}-${actor}`, place: 'x', actor, status, from, source: { name: 'test' }, confidence: 0.8 }) as ControlObservation;

describe('since', () => {
  it('is the start of the holder’s continuous holding, through restatements and status changes', () => {
    const t = new ControlTimeline([obs('a', '2017-01-01'), obs('b', '2017-03-01'), obs('b', '2017-05-01'), obs('b', '2017-06-01', 'contested'), obs('b', '2017-07-01')]);
    expect(t.holdingAt('x', '2017-02-15')!.since).toBe('2017-01-01');
    expect(t.holdingAt('x', '2017-07-20')).toMatchObject({ actor: 'b', since: '2017-03-01', status: 'held' });
    // Lost and taken back: the holding starts again.
    const u = new ControlTimeline([obs('a', '2017-01-01'), obs('b', '2017-03-01'), obs('a', '2017-04-01'), obs('a', '2017-06-01')]);
    expect(u.holdingAt('x', '2017-07-01')).toMatchObject({ actor: 'a', since: '2017-04-01' });
  });

  it('the demo: Tabqa held by the SDF since 10 May 2017 (monthly maps restate it on 1 June and 1 July)', async () => {
    const store = await demoStore('fl-since-');
    const db = store.location;
    await store.close();
    const r = await runCli('--db', db, 'control', 'at', '2017-07-31', '--json');
    expect(r.code).toBe(EXIT.ok);
    const tabqa = (JSON.parse(r.out) as { places: { placeId: string; actor: string; since: string }[] }).places.find((p) => p.placeId === 'tabqa')!;
    expect(tabqa).toMatchObject({ actor: 'sdf', since: '2017-05-10' });
  }, 60_000);
});
