/**
 * The PostgreSQL + PostGIS schema, versioned like the SQLite one (applied once, in order, each in a
 * transaction, recorded in schema_migrations). Never edit a shipped migration: add the next one.
 *
 * The tables mirror the SQLite store's so both pass one contract and `frontline db copy` moves records
 * as they are. Documents stay `text`, not `jsonb`: the exact JSON a record was written with is what
 * tells an unchanged re-import from an edit, and jsonb would reorder its keys.
 */
import type { Migration } from '../sqlite/migrations.js';

/**
 * Every text column compares bytewise (COLLATE "C"), as SQLite does: ids, dates and folded names then sort
 * and range-match the same in both stores, whatever locale the cluster was created with.
 */
const bytewise = (sql: string): string => sql.replace(/ text(?=[ ,\n)])/g, ' text COLLATE "C"');

export const PG_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: bytewise(`
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE records (
  kind text NOT NULL, id text NOT NULL, version integer NOT NULL,
  changed_at text NOT NULL, changed_by text NOT NULL, doc text NOT NULL,
  PRIMARY KEY (kind, id)
);

CREATE TABLE history (
  kind text NOT NULL, id text NOT NULL, version integer NOT NULL, op text NOT NULL,
  at text NOT NULL, by text NOT NULL, reason text, doc text NOT NULL,
  PRIMARY KEY (kind, id, version)
);
CREATE INDEX history_at ON history (at);

CREATE TABLE places (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  name text NOT NULL, kind text NOT NULL, country text,
  lon double precision NOT NULL, lat double precision NOT NULL, population bigint,
  -- A box in degrees is planar: bounding-box queries use geom; distances in metres use geog.
  geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
  geog geography(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED,
  version integer NOT NULL, changed_at text NOT NULL, changed_by text NOT NULL, doc text NOT NULL
);
CREATE INDEX places_geom ON places USING gist (geom);
CREATE INDEX places_geog ON places USING gist (geog);
CREATE INDEX places_country_kind ON places (country, kind);
CREATE TABLE place_names (folded text NOT NULL, place_seq bigint NOT NULL REFERENCES places (seq) ON DELETE CASCADE);
CREATE INDEX place_names_folded ON place_names (folded);

CREATE TABLE control_observations (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  place text NOT NULL REFERENCES places (id),
  actor text NOT NULL,
  status text NOT NULL, from_date text NOT NULL, confidence double precision NOT NULL,
  retracted boolean NOT NULL DEFAULT false,
  version integer NOT NULL, changed_at text NOT NULL, changed_by text NOT NULL, doc text NOT NULL
);
CREATE INDEX control_place_date ON control_observations (place, from_date);
CREATE INDEX control_date ON control_observations (from_date, id);

CREATE TABLE events (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  day integer NOT NULL,
  date text NOT NULL, date_precision text NOT NULL, date_end text,
  type text NOT NULL, sub_type text NOT NULL, disorder_type text,
  actor1 text NOT NULL, actor1_id text, assoc_actor1 text NOT NULL,
  actor2 text NOT NULL, actor2_id text, assoc_actor2 text NOT NULL,
  country text NOT NULL, admin1 text NOT NULL, admin2 text NOT NULL, admin3 text NOT NULL, location text NOT NULL,
  place text, lon double precision NOT NULL, lat double precision NOT NULL, geo_precision integer NOT NULL,
  fatalities integer, fatalities_low integer, fatalities_high integer,
  notes text NOT NULL, tags text NOT NULL, status text NOT NULL, origin_format text, origin_id text,
  sources text NOT NULL, attributes text NOT NULL, provenance text NOT NULL,
  geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
  geog geography(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED,
  version integer NOT NULL, changed_at text NOT NULL, changed_by text NOT NULL
);
-- Pages come in (day, seq) order: the cursor is that pair, and this index serves it.
CREATE INDEX events_day ON events (day, seq);
CREATE INDEX events_type_day ON events (type, day);
CREATE INDEX events_actor1_day ON events (actor1_id, day);
CREATE INDEX events_actor2_day ON events (actor2_id, day);
CREATE INDEX events_place ON events (place);
CREATE INDEX events_geom ON events USING gist (geom);
CREATE INDEX events_geog ON events USING gist (geog);

CREATE TABLE relations (seq bigserial PRIMARY KEY, doc text NOT NULL);

CREATE TABLE imports (
  id text PRIMARY KEY, file text NOT NULL, format text NOT NULL, by text NOT NULL, strict boolean NOT NULL,
  started_at text NOT NULL, finished_at text, status text NOT NULL, counts text NOT NULL DEFAULT '{}'
);
CREATE TABLE import_rejects (
  seq bigserial PRIMARY KEY,
  import_id text NOT NULL REFERENCES imports (id), line integer NOT NULL, field text, reason text NOT NULL, raw text NOT NULL
);
CREATE INDEX import_rejects_import ON import_rejects (import_id, line);

CREATE TABLE auth_sessions (
  token_hash text PRIMARY KEY, user_id text NOT NULL, csrf text NOT NULL, created_at text NOT NULL, expires_at text NOT NULL
);
CREATE TABLE auth_tokens (
  token_hash text PRIMARY KEY, user_id text NOT NULL, name text NOT NULL, created_at text NOT NULL, revoked_at text
);
`),
  },
];
