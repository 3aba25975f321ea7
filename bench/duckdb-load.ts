/** DuckDB's own CSV loader, timed in its own process by bench/run.ts: duckdb-load.ts DB CSV */
import { DuckDBInstance } from '@duckdb/node-api';

const [db, csv] = process.argv.slice(2);
if (!db || !csv) throw new Error('usage: duckdb-load.ts DB CSV');
const conn = await (await DuckDBInstance.create(db)).connect();
await conn.run(`CREATE TABLE events AS SELECT * FROM read_csv('${csv.replace(/'/g, "''")}', header = true, auto_detect = true)`);
const n = (await conn.runAndReadAll('SELECT COUNT(*) AS n FROM events')).getRowObjects()[0]!.n;
console.log(String(n));
conn.closeSync();
