/**
 * PostgreSQL for tests: the server at $FRONTLINE_TEST_DATABASE_URL when given (a role that may create
 * databases), else a throwaway cluster on loopback in a temporary folder (tools/pg-server.ts). Each store
 * gets a database of its own, cloned from a template that already has PostGIS (cloning takes
 * milliseconds; CREATE EXTENSION postgis takes a second).
 */
import pg from 'pg';
import { pgMissing, startPg, type PgServer } from '../../tools/pg-server.js';

export const PG_MISSING = process.env.FRONTLINE_TEST_DATABASE_URL ? null : pgMissing(['postgis']);
if (PG_MISSING && process.env.CI === 'true') throw new Error(`CI needs ${PG_MISSING} for the PostGIS store tests (.ci/run installs it)`);
if (PG_MISSING) console.warn(`SKIPPED: PostGIS store tests need ${PG_MISSING}`);

export interface TestPg {
  /** A new, empty database with PostGIS; its URL. */
  newDatabase(): Promise<string>;
  /** The throwaway server, when the tests started one (fault tests halt and resume it). */
  server: PgServer | null;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestPg(): Promise<TestPg> {
  const given = process.env.FRONTLINE_TEST_DATABASE_URL;
  const server = given ? null : startPg({ tcp: true });
  const adminUrl = given ?? server!.url('postgres');
  // A connection per use: a test may stop the server under us (fault tests), which kills open ones.
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: adminUrl });
    c.on('error', () => undefined);
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  const template = `frontline_tpl_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS ${template}`);
  await admin(`CREATE DATABASE ${template}`);
  const t = new pg.Client({ connectionString: withDb(adminUrl, template) });
  await t.connect();
  await t.query('CREATE EXTENSION postgis');
  await t.end();
  const made: string[] = [];
  return {
    server,
    async newDatabase() {
      const name = `frontline_t_${process.pid}_${++counter}`;
      await admin(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      made.push(name);
      return withDb(adminUrl, name);
    },
    async stop() {
      if (given) {
        for (const name of made) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        await admin(`DROP DATABASE IF EXISTS ${template}`).catch(() => undefined);
      }
      server?.stop();
    },
  };
}

function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
