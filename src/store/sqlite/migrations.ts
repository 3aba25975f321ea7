/**
 * Versioned schema. A migration is applied once, in order, inside a transaction; the applied versions are
 * kept in schema_migrations. Never edit a shipped migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The secondary indexes of events and the trigger that feeds the R*Tree. A large import drops them and
 * builds them again after its rows are in (inside its transaction), which is several times faster than
 * updating them row by row; so they are defined once, here.
 */
export const EVENT_INDEXES = [
  // The queries: a time window (in (day, rowid) order, which gives stable cursors), by type in a window, by actor.
  'CREATE INDEX events_day ON events(day);',
  'CREATE INDEX events_type_day ON events(type, day);',
  'CREATE INDEX events_actor1_day ON events(actor1_id, day);',
  'CREATE INDEX events_actor2_day ON events(actor2_id, day);',
  'CREATE INDEX events_place ON events(place);',
];
export const EVENT_INDEX_NAMES = EVENT_INDEXES.map((sql) => /CREATE INDEX (\w+)/.exec(sql)![1]!);
/** What the R*Tree holds of an event: its box, then auxiliary columns read without touching the table. */
export const EVENT_RTREE_VALUES = (t: string): string =>
  `${t}.rowid, ${t}.lon, ${t}.lon, ${t}.lat, ${t}.lat, ${t}.day, ${t}.day, ${t}.lon, ${t}.lat, ${t}.type, ${t}.actor1_id, ${t}.actor2_id, ${t}.status`;
export const EVENT_RTREE_INSERT_TRIGGER = `CREATE TRIGGER events_rtree_insert AFTER INSERT ON events BEGIN
  INSERT INTO events_rtree VALUES (${EVENT_RTREE_VALUES('new')});
END;`;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Small record kinds (actors, blocs, zones, documents, objectives, scenarios) are read whole.
CREATE TABLE records (
  kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
  changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, doc TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;

-- Superseded versions of every kind of record: the current version lives in its own table.
CREATE TABLE history (
  kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, op TEXT NOT NULL,
  at TEXT NOT NULL, by TEXT NOT NULL, reason TEXT, doc TEXT NOT NULL,
  PRIMARY KEY (kind, id, version)
) WITHOUT ROWID;

CREATE TABLE places (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT,
  lon REAL NOT NULL, lat REAL NOT NULL, population INTEGER,
  version INTEGER NOT NULL, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE INDEX places_country_kind ON places(country, kind);
-- Every spelling of every place, folded, for transliteration-tolerant look-up.
CREATE TABLE place_names (folded TEXT NOT NULL, place_rowid INTEGER NOT NULL REFERENCES places(rowid) ON DELETE CASCADE);
CREATE INDEX place_names_folded ON place_names(folded);
CREATE VIRTUAL TABLE places_rtree USING rtree(rowid, min_lon, max_lon, min_lat, max_lat);

CREATE TABLE control_observations (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  place TEXT NOT NULL REFERENCES places(id),
  actor TEXT NOT NULL,
  status TEXT NOT NULL, from_date TEXT NOT NULL, confidence REAL NOT NULL,
  retracted INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL, doc TEXT NOT NULL
);
CREATE INDEX control_place_date ON control_observations(place, from_date);
CREATE INDEX control_date ON control_observations(from_date, id);

CREATE TABLE events (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  day INTEGER NOT NULL,
  date TEXT NOT NULL, date_precision TEXT NOT NULL, date_end TEXT,
  type TEXT NOT NULL, sub_type TEXT NOT NULL, disorder_type TEXT,
  actor1 TEXT NOT NULL, actor1_id TEXT, assoc_actor1 TEXT NOT NULL,
  actor2 TEXT NOT NULL, actor2_id TEXT, assoc_actor2 TEXT NOT NULL,
  country TEXT NOT NULL, admin1 TEXT NOT NULL, admin2 TEXT NOT NULL, admin3 TEXT NOT NULL, location TEXT NOT NULL,
  place TEXT, lon REAL NOT NULL, lat REAL NOT NULL, geo_precision INTEGER NOT NULL,
  fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER,
  notes TEXT NOT NULL, tags TEXT NOT NULL, status TEXT NOT NULL, origin_format TEXT, origin_id TEXT,
  sources TEXT NOT NULL, attributes TEXT NOT NULL, provenance TEXT NOT NULL,
  version INTEGER NOT NULL, changed_at TEXT NOT NULL, changed_by TEXT NOT NULL
);
-- Space and time together: a bbox + date window is answered from this 3-D R*Tree.
-- Auxiliary columns (+) keep the exact coordinates, type, actors and status beside the box, so a query
-- filters on them inside the R*Tree and reads from the events table only the rows it returns.
CREATE VIRTUAL TABLE events_rtree USING rtree(rowid, min_lon, max_lon, min_lat, max_lat, min_day, max_day, +lon REAL, +lat REAL, +type TEXT, +actor1_id TEXT, +actor2_id TEXT, +status TEXT);
${EVENT_INDEXES.join('\n')}
${EVENT_RTREE_INSERT_TRIGGER}
CREATE TRIGGER events_rtree_update AFTER UPDATE OF lon, lat, day, type, actor1_id, actor2_id, status ON events BEGIN
  UPDATE events_rtree SET min_lon = new.lon, max_lon = new.lon, min_lat = new.lat, max_lat = new.lat,
    min_day = new.day, max_day = new.day, lon = new.lon, lat = new.lat, type = new.type,
    actor1_id = new.actor1_id, actor2_id = new.actor2_id, status = new.status WHERE rowid = new.rowid;
END;

CREATE TABLE relations (rowid INTEGER PRIMARY KEY, doc TEXT NOT NULL);

CREATE TABLE imports (
  id TEXT PRIMARY KEY, file TEXT NOT NULL, format TEXT NOT NULL, by TEXT NOT NULL, strict INTEGER NOT NULL,
  started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE import_rejects (
  import_id TEXT NOT NULL REFERENCES imports(id), line INTEGER NOT NULL, field TEXT, reason TEXT NOT NULL, raw TEXT NOT NULL
);
CREATE INDEX import_rejects_import ON import_rejects(import_id, line);
`,
  },
  {
    version: 2,
    name: 'sessions and API tokens (issue 6): only hashes of the secrets are kept',
    sql: `
CREATE TABLE auth_sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
) WITHOUT ROWID;
`,
  },
];
