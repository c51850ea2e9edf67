import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { parseDatabaseUrl } from '../src/db/database-url';

const run = promisify(execFile);

/**
 * PostgreSQL's own figure for a sign-up's hot-row work: pgbench, `clients` connections, each transaction the
 * conditional seat UPDATE on one course row of `capacity` seats plus the INSERT of an enrolment row (the real
 * `courses` and `enrolments` tables, so the same constraints, indexes and foreign keys), with prepared
 * statements as a good client sends them. Each transaction enrols a different person, made beforehand like
 * the app's. Once the seats are gone the UPDATE matches nothing and locks nothing, so pgbench's figure for a
 * full course is not a queue on the row; the app's waitlist is (positions and places in line are exact).
 */
const SCRIPT = `\\set k :k + 1
\\set n :base + :client_id * :per + :k
BEGIN;
UPDATE courses SET seats_taken = seats_taken + 1 WHERE id = :course AND seats_taken < capacity;
INSERT INTO enrolments (id, person_id, course_id, status, source, updated_at)
  VALUES (gen_random_uuid(), md5(:tag::text || :n::text)::uuid, :course, 'confirmed', 'self', now());
END;
`;

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
}

/** Runs pgbench against `databaseUrl` (tables already migrated); cleans up its course and people. */
export async function pgbenchEnrol(
  databaseUrl: string,
  pool: pg.Pool,
  transactions: number,
  capacity: number,
  clients: number,
  pgbench = process.env.PGBENCH ?? 'pgbench',
): Promise<PgbenchResult> {
  const per = Math.ceil(transactions / clients);
  const tag = `jineng-pgbench-${randomBytes(4).toString('hex')}-`;
  const course = (
    await pool.query<{ id: string }>(
      `INSERT INTO courses (id, code, title, trade, training_type, county, venue, capacity, updated_at)
       VALUES (gen_random_uuid(), $1, 'pgbench', 'ecommerce', 'employment', 'zhaoyang', 'bench', $2, now())
       RETURNING id`,
      [`PGB-${randomBytes(3).toString('hex').toUpperCase()}`, capacity],
    )
  ).rows[0]!.id;
  const people = `SELECT md5($1::text || n::text)::uuid FROM generate_series(1, $2::int) n`;
  await pool.query(`INSERT INTO people (id, updated_at) SELECT id, now() FROM (${people}) p(id)`, [
    tag,
    per * clients,
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'jineng-pgbench-'));
  try {
    const script = join(dir, 'enrol.sql');
    writeFileSync(script, SCRIPT);
    const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
    const { stdout } = await run(
      pgbench,
      [
        '--no-vacuum',
        `--client=${clients}`,
        `--jobs=${Math.min(clients, 2)}`,
        `--transactions=${per}`,
        '--protocol=prepared',
        '-D',
        'k=0',
        '-D',
        'base=0',
        '-D',
        `per=${per}`,
        '-D',
        `tag=${tag}`,
        '-D',
        `course=${course}`,
        `--file=${script}`,
        connectionString,
      ],
      { env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` }, maxBuffer: 1 << 20 },
    );
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
    const done = Number(/actually processed: (\d+)/.exec(stdout)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { tps, transactions: done, failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pool.query('DELETE FROM courses WHERE id = $1', [course]);
    await pool.query(`DELETE FROM people WHERE id IN (${people})`, [tag, per * clients]);
  }
}
