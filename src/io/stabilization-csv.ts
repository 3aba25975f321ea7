/**
 * Humanitarian tables into stabilization records (issue 8, §4), as CSV with plain column names or HXL
 * hashtags (in the header, or in a hashtag row under it):
 *
 *   returns   displacement and returns tracking, keyed by admin code and date:
 *             admin_code (#adm2+code, #adm3+code, #loc+code), date (#date), returnees (#affected+returnees),
 *             idps (#affected+idps), idp_arrivals (#affected+arrivals), idp_departures (#affected+departures),
 *             population (#population), source (#meta+source), source_url (#meta+url)
 *   damage    damage assessments by place: place (#loc+name, #loc+code), date, damage_share (0–1 or
 *             a percentage) or destroyed + damaged + total_buildings (#indicator+destroyed …), source
 *   projects  project lists: id, area (admin code or area id) or place, title, sector, implementer,
 *             funder, budget_usd, status, progress, start, end, source
 *
 * Every row is checked (unknown area codes and places, negative counts, dates that are not dates or lie
 * after today, shares over 1, missing sources) and every bad row reported with its line and field. The
 * import is all or nothing, unless `skipBad`: then the good rows are written and the bad ones listed.
 */
import { isIsoDate, type IsoDate } from '../core/dates.js';
import { ImportError } from '../core/errors.js';
import { foldName, slugify } from '../core/names.js';
import { IndicatorSchema, PROJECT_STATUSES, ProjectSchema, type Indicator, type IndicatorKind, type Place, type Project, type StabilizationArea } from '../core/schemas.js';
import type { Store } from '../store/store.js';
import { resolveArea } from '../stabilize/areas.js';
import { readCsvRecords, type CsvRecord } from './csv.js';
import { normalizeHashtag } from './hxl.js';

export const STABILIZATION_TABLES = ['returns', 'damage', 'projects'] as const;
export type StabilizationTable = (typeof STABILIZATION_TABLES)[number];

export interface TableReject {
  file: string;
  line: number;
  field: string;
  reason: string;
}

export interface TableImportResult {
  table: StabilizationTable;
  file: string;
  rows: number;
  written: number;
  created: number;
  updated: number;
  unchanged: number;
  rejects: TableReject[];
  committed: boolean;
}

/** Plain column names and the HXL hashtags that mean the same. */
const COLUMNS: Record<string, string[]> = {
  admin_code: ['#adm1+code', '#adm2+code', '#adm3+code', '#adm4+code', '#loc+code', 'pcode', 'admin2_pcode', 'admin3_pcode', 'area_code'],
  area: ['#loc+area', 'area_id'],
  date: ['#date', '#date+reported'],
  returnees: ['#affected+returnees', '#affected+returned'],
  idps: ['#affected+idps'],
  idp_arrivals: ['#affected+arrivals', '#affected+arrivals+idps'],
  idp_departures: ['#affected+departures', '#affected+departures+idps'],
  population: ['#population', '#population+total'],
  place: ['#loc+name', '#loc+code+place', 'place_id'],
  damage_share: ['#indicator+damage+pct', '#indicator+damaged+pct'],
  destroyed: ['#indicator+destroyed', '#affected+buildings+destroyed'],
  damaged: ['#indicator+damaged', '#affected+buildings+damaged'],
  total_buildings: ['#indicator+buildings+total', '#affected+buildings+total'],
  source: ['#meta+source', '#org+source'],
  source_url: ['#meta+url'],
  id: ['#activity+id', '#meta+id'],
  title: ['#activity+name', '#activity+title'],
  sector: ['#sector', '#sector+name'],
  implementer: ['#org+impl', '#org+implementer'],
  funder: ['#org+funder', '#org+donor'],
  budget_usd: ['#value+budget+usd', '#value+usd'],
  status: ['#status', '#activity+status'],
  progress: ['#indicator+progress+pct', '#progress'],
  start: ['#date+start'],
  end: ['#date+end'],
};

const REQUIRED: Record<StabilizationTable, string[][]> = {
  returns: [['admin_code', 'area'], ['date'], ['source']],
  damage: [['place'], ['date'], ['source']],
  projects: [['admin_code', 'area', 'place'], ['title'], ['sector'], ['status'], ['source']],
};

function headerIndex(rows: CsvRecord[], file: string, table: StabilizationTable): { index: Map<string, number>; dataFrom: number } {
  if (!rows.length) throw new ImportError('the file is empty', { file, line: 1 });
  const names = rows[0]!.fields.map((f) => f.trim());
  const tagRow = rows[1] && rows[1].fields.length && rows[1].fields.every((f) => !f.trim() || f.trim().startsWith('#')) ? rows[1].fields.map((f) => normalizeHashtag(f)) : null;
  const headerTags = names.every((n) => !n || n.startsWith('#')) ? names.map((n) => normalizeHashtag(n)) : null;
  const index = new Map<string, number>();
  for (const [col, aliases] of Object.entries(COLUMNS)) {
    const tags = aliases.filter((a) => a.startsWith('#')).map(normalizeHashtag);
    const plain = [col, ...aliases.filter((a) => !a.startsWith('#'))];
    let at = names.findIndex((n) => plain.includes(n.toLowerCase()));
    if (at < 0 && tagRow) at = tagRow.findIndex((t) => tags.includes(t));
    if (at < 0 && headerTags) at = headerTags.findIndex((t) => tags.includes(t));
    if (at >= 0) index.set(col, at);
  }
  const missing = REQUIRED[table].filter((alts) => !alts.some((c) => index.has(c))).map((alts) => alts.join(' or '));
  if (missing.length) throw new ImportError(`this is not a ${table} table: no column for ${missing.join('; ')} (plain names or HXL hashtags, see docs/stabilize.md)`, { file, line: rows[0]!.line });
  return { index, dataFrom: tagRow ? 2 : 1 };
}

/** Parse and check every row; write all (or, with skipBad, the good ones) in one transaction. */
export async function importStabilizationTable(store: Store, table: StabilizationTable, file: string, opts: { today: IsoDate; skipBad?: boolean; by: string }): Promise<TableImportResult> {
  const rows: CsvRecord[] = [];
  for await (const r of readCsvRecords(file)) rows.push(r);
  const { index, dataFrom } = headerIndex(rows, file, table);
  const [areas, places] = await Promise.all([store.listStabilizationAreas(), store.listPlaces()]);
  const byCode = new Map<string, StabilizationArea>();
  for (const a of areas) {
    byCode.set(a.id.toLowerCase(), a);
    for (const c of a.codes) byCode.set(c.toLowerCase(), a);
  }
  const placeByKey = new Map<string, Place>();
  for (const p of places) {
    placeByKey.set(p.id, p);
    for (const n of [p.name, ...p.names]) if (!placeByKey.has(`~${foldName(n)}`)) placeByKey.set(`~${foldName(n)}`, p);
  }
  // The area of each place, for tables keyed by place.
  const areaOfPlace = new Map<string, StabilizationArea>();
  for (const a of areas) for (const i of resolveArea(a, places).places) if (!areaOfPlace.has(places[i]!.id)) areaOfPlace.set(places[i]!.id, a);

  const rejects: TableReject[] = [];
  const indicators: Indicator[] = [];
  const projects: Project[] = [];
  // Two rows that would make the same record: the later would silently replace the earlier. Refused.
  const firstLine = new Map<string, number>();
  const once = (key: string, line: number, field: string, what: string, reject: (field: string, reason: string) => void): boolean => {
    const seen = firstLine.get(key);
    if (seen !== undefined) {
      reject(field, `${what} as line ${seen}: give each once (or correct one of them)`);
      return false;
    }
    firstLine.set(key, line);
    return true;
  };
  const damageGroups = new Map<string, { area: string; date: IsoDate; shares: number[]; hit: number; total: number; sources: Set<string>; url?: string; lines: number[] }>();
  for (const rec of rows.slice(dataFrom)) {
    const get = (c: string): string => (index.has(c) ? (rec.fields[index.get(c)!] ?? '').trim() : '');
    const bad: TableReject[] = [];
    const reject = (field: string, reason: string): void => void bad.push({ file, line: rec.line, field, reason });
    const date = (col: string, required: boolean): IsoDate | undefined => {
      const v = get(col);
      if (!v) {
        if (required) reject(col, 'is empty');
        return undefined;
      }
      if (!isIsoDate(v)) return void reject(col, `"${v.slice(0, 30)}" is not a real date as YYYY-MM-DD`);
      if (col === 'date' && v > opts.today) return void reject(col, `${v} is after today (${opts.today}): a figure cannot be reported before it happens`);
      return v;
    };
    const count = (col: string): number | undefined => {
      const v = get(col).replace(/[,\s]/g, '');
      if (!v) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) return void reject(col, `"${get(col).slice(0, 30)}" is not a number`);
      if (n < 0) return void reject(col, `${n} is negative: counts of people and buildings are 0 or more`);
      return n;
    };
    const source = get('source');
    if (!source) reject('source', 'is empty: every figure needs its source');
    const srcRef = { name: source, ...(get('source_url') ? { url: get('source_url') } : {}) };
    const findArea = (): StabilizationArea | undefined => {
      const code = get('admin_code') || get('area');
      if (code) {
        const a = byCode.get(code.toLowerCase());
        if (!a) reject(get('admin_code') ? 'admin_code' : 'area', `"${code.slice(0, 40)}" is no stabilization area's code or id (known: ${[...new Set(areas.flatMap((x) => [x.id, ...x.codes]))].slice(0, 12).join(', ')}${areas.length > 12 ? ' …' : ''}); add the code to the area (frontline stabilize add-area … --code)`);
        return a;
      }
      const p = findPlace();
      if (!p) return undefined;
      const a = areaOfPlace.get(p.id);
      if (!a) reject('place', `${p.id} is in no stabilization area`);
      return a;
    };
    const findPlace = (): Place | undefined => {
      const raw = get('place');
      if (!raw) return void reject('place', 'is empty');
      const p = placeByKey.get(raw) ?? placeByKey.get(`~${foldName(raw)}`);
      if (!p) reject('place', `"${raw.slice(0, 40)}" is not a place in the store (frontline places --name "${raw.slice(0, 40)}")`);
      return p;
    };

    if (table === 'returns') {
      const area = findArea();
      const d = date('date', true);
      const figures: [IndicatorKind, number | undefined][] = [
        ['returnees', count('returnees')],
        ['idps', count('idps')],
        ['idp-arrivals', count('idp_arrivals')],
        ['idp-departures', count('idp_departures')],
        ['population', count('population')],
      ];
      if (!bad.length && !figures.some(([, v]) => v !== undefined)) reject('returnees', 'the row has no figure (returnees, idps, idp_arrivals, idp_departures or population)');
      if (!bad.length && area && d) once(`returns|${area.id}|${d}|${slugify(source)}`, rec.line, 'date', `the same area (${area.id}), date and source`, reject);
      if (!bad.length && area && d) for (const [k, v] of figures) if (v !== undefined) indicators.push(IndicatorSchema.parse({ id: `${k}:${area.id}:${d}:${slugify(source)}`, area: area.id, indicator: k, date: d, value: v, source: srcRef, provenance: { kind: 'file', file, line: rec.line, format: 'returns' } }));
    } else if (table === 'damage') {
      const p = findPlace();
      const area = p ? areaOfPlace.get(p.id) : undefined;
      if (p && !area) reject('place', `${p.id} is in no stabilization area`);
      const d = date('date', true);
      let share = get('damage_share') ? count('damage_share') : undefined;
      if (share !== undefined && share > 1) share = share <= 100 ? share / 100 : (reject('damage_share', `${share} is neither a share (0–1) nor a percentage`), undefined);
      const destroyed = count('destroyed'), damaged = count('damaged'), total = count('total_buildings');
      if (share === undefined && total === undefined && !bad.length) reject('damage_share', 'give damage_share, or destroyed, damaged and total_buildings');
      if (total !== undefined && (destroyed ?? 0) + (damaged ?? 0) > total) reject('total_buildings', `destroyed + damaged (${(destroyed ?? 0) + (damaged ?? 0)}) is more than the ${total} buildings`);
      if (!bad.length && p && d) once(`damage|${p.id}|${d}`, rec.line, 'place', `the same place (${p.id}) and date`, reject);
      if (!bad.length && area && d) {
        const k = `${area.id}|${d}`;
        const g = damageGroups.get(k) ?? { area: area.id, date: d, shares: [], hit: 0, total: 0, sources: new Set<string>(), lines: [] };
        if (total !== undefined) {
          g.hit += (destroyed ?? 0) + (damaged ?? 0);
          g.total += total;
        } else if (share !== undefined) g.shares.push(share);
        g.sources.add(source);
        if (srcRef.url) g.url = srcRef.url;
        g.lines.push(rec.line);
        damageGroups.set(k, g);
      }
    } else {
      const area = findArea();
      const status = get('status').toLowerCase();
      if (status && !(PROJECT_STATUSES as readonly string[]).includes(status)) reject('status', `"${get('status').slice(0, 20)}" is not ${PROJECT_STATUSES.join(', ')}`);
      const start = date('start', false), end = date('end', false);
      if (start && end && end < start) reject('end', `${end} is before the start, ${start}`);
      let progress = get('progress') ? count('progress') : undefined;
      if (progress !== undefined && progress > 1) progress = progress <= 100 ? progress / 100 : undefined;
      const budget = count('budget_usd');
      const placeRaw = get('place');
      const place = placeRaw ? (placeByKey.get(placeRaw) ?? placeByKey.get(`~${foldName(placeRaw)}`)) : undefined;
      if (!get('title')) reject('title', 'is empty');
      if (!get('sector')) reject('sector', 'is empty');
      if (!bad.length && area) {
        const parsed = ProjectSchema.safeParse({
          id: get('id') || `project:${area.id}:${slugify(get('title')).slice(0, 60)}`,
          area: area.id,
          title: get('title'),
          sector: get('sector').toLowerCase(),
          ...(place ? { place: place.id } : {}),
          implementer: get('implementer'),
          funder: get('funder'),
          budgetUsd: budget ?? null,
          status,
          progress: progress ?? null,
          ...(start ? { start } : {}),
          ...(end ? { end } : {}),
          source: srcRef,
          provenance: { kind: 'file', file, line: rec.line, format: 'projects' },
        });
        if (!parsed.success) for (const i of parsed.error.issues) reject(i.path.join('.') || 'row', i.message);
        else if (once(`project|${parsed.data.id}`, rec.line, get('id') ? 'id' : 'title', `the same project (${parsed.data.id})`, reject)) projects.push(parsed.data);
      }
    }
    rejects.push(...bad);
  }
  for (const g of damageGroups.values()) {
    // Counts add up over the places of an area; shares alone are averaged.
    const value = g.total > 0 ? g.hit / g.total : g.shares.reduce((s, x) => s + x, 0) / g.shares.length;
    indicators.push(IndicatorSchema.parse({ id: `damage:${g.area}:${g.date}`, area: g.area, indicator: 'damage', date: g.date, value: Math.round(value * 10000) / 10000, source: { name: [...g.sources].join('; '), ...(g.url ? { url: g.url } : {}) }, notes: `from ${g.lines.length} row${g.lines.length > 1 ? 's' : ''} (lines ${g.lines.join(', ')})`, provenance: { kind: 'file', file, line: g.lines[0]!, format: 'damage' } }));
  }
  const dataRows = rows.length - dataFrom;
  const result: TableImportResult = { table, file, rows: dataRows, written: 0, created: 0, updated: 0, unchanged: 0, rejects, committed: false };
  if (rejects.length && !opts.skipBad) return result;
  const put = table === 'projects' ? await store.putProjects(projects, { by: opts.by }) : await store.putIndicators(indicators, { by: opts.by });
  return { ...result, written: table === 'projects' ? projects.length : indicators.length, ...put, committed: true };
}
