/**
 * Oracle: Frontline's one-to-all search against pgRouting's pgr_dijkstraCost on the same graph (Andorra's
 * roads from ../shared) with the same costs — plain lengths, and a bloc's territory-dependent race costs —
 * from 100 random sources. The test starts its own PostgreSQL (tools/pg-server.ts); .ci/run installs it.
 */
import { writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bloc, Relation } from '../../src/core/schemas.js';
import { ControlModel } from '../../src/control/model.js';
import { readOsmRoads } from '../../src/io/osm.js';
import { buildRoadGraph, type RoadGraph } from '../../src/routing/graph.js';
import { DEFAULT_RACE_PARAMETERS, RaceContext } from '../../src/routing/race.js';
import { blocCostTable, edgeTerritory } from '../../src/routing/territory.js';
import { materializeCosts, multiSourceSearch, type EdgeCosts } from '../../src/routing/search.js';
import { pgMissing, startPg, type PgServer } from '../../tools/pg-server.js';
import { mulberry32 } from '../../bench/generate.js';
import { observation, place } from '../store/contract.js';
import { requireShared, SHARED, withoutShared } from '../helpers.js';

const missing = pgMissing(['postgis', 'pgrouting']);
if (missing && process.env.CI === 'true') throw new Error(`CI needs ${missing} for the pgRouting oracle tests (.ci/run installs it)`);
if (missing) console.warn(`SKIPPED: pgRouting oracle tests need ${missing}`);

describe.skipIf(Boolean(missing) || withoutShared)('shortest paths against pgRouting', () => {
  let pg: PgServer;
  let graph: RoadGraph;
  let ok = false;
  beforeAll(async () => {
    requireShared();
    const r = await readOsmRoads(join(SHARED, 'data', 'osm', 'gh-andorra.osm.pbf'));
    graph = buildRoadGraph(r.ways, r.coord).graph;
    pg = startPg();
    pg.psql('CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;');
    ok = true;
  }, 60_000);
  afterAll(() => pg?.stop());

  /**
   * Our distances and pgRouting's from the same sources over the same costs (Infinity: no edge), given
   * edge by edge (a race's in 4-byte floats, written to pgRouting as the numbers they are).
   */
  function compare(cost: EdgeCosts, label: string): void {
    const file = join(pg.dir, `${label}.csv`);
    const rows: string[] = [];
    for (let u = 0; u < graph.nodeCount; u++)
      for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) if (cost[e] !== Infinity) rows.push(`${e + 1},${u + 1},${graph.target[e]! + 1},${cost[e]}`);
    writeFileSync(file, rows.join('\n'));
    chmodSync(pg.dir, 0o755);
    chmodSync(file, 0o644);
    const rand = mulberry32(label.length * 7919);
    const sources = [...new Set(Array.from({ length: 100 }, () => Math.floor(rand() * graph.nodeCount)))];
    const out = pg.psql(`
      DROP TABLE IF EXISTS e; CREATE TABLE e (id bigint, source bigint, target bigint, cost float8);
      COPY e FROM '${file}' CSV;
      SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost FROM e',
        ARRAY[${sources.map((s) => s + 1).join(',')}]::bigint[], ARRAY(SELECT generate_series(1, ${graph.nodeCount}))::bigint[], true);`);
    const theirs = new Map<string, number>();
    for (const line of out.split('\n')) {
      if (!line) continue;
      const [s, t, c] = line.split('|');
      theirs.set(`${Number(s) - 1}>${Number(t) - 1}`, Number(c));
    }
    let compared = 0;
    for (const s of sources) {
      const dist = multiSourceSearch(graph, cost, [s]).dist;
      for (let v = 0; v < graph.nodeCount; v++) {
        if (v === s) continue;
        const want = theirs.get(`${s}>${v}`);
        if (dist[v] === Infinity) expect(want, `${label}: ${s} -> ${v} unreachable for us`).toBeUndefined();
        else {
          expect(want, `${label}: ${s} -> ${v} reachable for us (${dist[v]})`).toBeDefined();
          expect(Math.abs(dist[v]! - want!)).toBeLessThanOrEqual(1e-9 * Math.max(1, want!));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100 * 100); // the search covers the graph, not a corner of it
  }

  it('uniform costs (edge lengths)', () => {
    if (!ok) return;
    compare(Float64Array.from(graph.lengthM), 'uniform');
  }, 60_000);

  it("territory-dependent costs (a bloc's race costs, with deconflicted land closed)", () => {
    if (!ok) return;
    // Andorra split among three blocs by eight places on its roads; A is hostile to B, deconflicted with C.
    const rand = mulberry32(42);
    const places = Array.from({ length: 8 }, (_, i) => {
      const v = Math.floor(rand() * graph.nodeCount);
      return place(`p${i}`, graph.lon[v]!, graph.lat[v]!, { country: 'AD' });
    });
    const actors = ['a-army', 'b-army', 'c-army'];
    const blocs: Bloc[] = ['a', 'b', 'c'].map((id, i) => ({ id, name: id, members: [{ actor: actors[i]! }] }));
    const relations: Relation[] = [
      { a: 'a', b: 'b', kind: 'hostile' },
      { a: 'a', b: 'c', kind: 'deconflicted' },
    ];
    const land = [[[[1.3, 42.3], [1.9, 42.3], [1.9, 42.8], [1.3, 42.8], [1.3, 42.3]]]];
    const model = new ControlModel({ land, places, observations: places.map((p, i) => observation(`o${i}`, p.id, actors[i % 3]!, '2020-01-01', i === 3 ? { status: 'contested' } : {})), blocs, relations, radiusKm: 50, resolution: 7 });
    const ctx = new RaceContext(graph, model);
    const { edgeBloc } = edgeTerritory(ctx, '2020-02-01');
    const rel = ['allied', 'hostile', 'deconflicted', 'neutral'];
    // The first bloc's costs as its race searches them: its cost table, written out edge by edge.
    const table = blocCostTable(ctx, ctx.kindsFor('2020-02-01'), model.blocIds[0]!, rel, DEFAULT_RACE_PARAMETERS);
    const { cost } = ctx.costsFor(model.blocIds[0]!, table);
    // Each the table's cost, to 4-byte precision.
    const exact = materializeCosts(table);
    expect(cost.every((c, e) => c === Math.fround(exact[e]!))).toBe(true);
    expect(cost.some((c) => c === Infinity)).toBe(true); // some land is closed
    expect(new Set(edgeBloc).size).toBeGreaterThanOrEqual(3);
    compare(cost, 'territory');
  }, 60_000);
});
