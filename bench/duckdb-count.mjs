// DuckDB's answer to `ngfreq count --by-year -o OUT INPUT` (by-year) or
// `ngfreq count -o OUT INPUT` (totals) on a v2 file: the peer that
// bench/cardinality.sh and bench/run.sh time next to ngfreq.
//
//   DUCKDB_DIR=DIR node bench/duckdb-count.mjs by-year|totals INPUT OUT [THREADS] [MEMORY_LIMIT]
//
// DUCKDB_DIR is where `npm install @duckdb/node-api` was run.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.DUCKDB_DIR ?? '.', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [mode, input, out, threads = '2', memoryLimit] = process.argv.slice(2);
if (!['by-year', 'totals'].includes(mode) || !input || !out) {
  console.error('usage: duckdb-count.mjs by-year|totals INPUT OUT [THREADS] [MEMORY_LIMIT]');
  process.exit(2);
}
const keys = mode === 'by-year' ? 'ngram, year' : 'ngram';
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
if (memoryLimit) await con.run(`SET memory_limit = ${quote(memoryLimit)}`);
// No quoting or escapes: n-grams hold quotes and backslashes as they are.
await con.run(`
  COPY (
    SELECT ${keys}, sum(match) AS match
    FROM read_csv(${quote(input)}, delim = '\t', header = false, quote = '', escape = '',
                  columns = {'ngram': 'VARCHAR', 'year': 'INTEGER', 'match': 'UBIGINT', 'volumes': 'UBIGINT'})
    GROUP BY ${keys} ORDER BY ${keys}
  ) TO ${quote(out)} (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '')`);
