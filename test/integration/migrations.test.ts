import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { quoteIdent } from '../../src/db/database-url';
import { MIGRATIONS_DIR, migrate, readMigrations } from '../../src/db/migrate';
import { readCatalog } from '../support/schema-catalog';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

const schemas: string[] = [];
const tempDirs: string[] = [];
let client: pg.Client;

/** A fresh schema of the run's database, dropped after the file; returns its name and Prisma-style URL. */
function freshSchema(tag: string): { schema: string; url: string } {
  const schema = `mig_${tag}_${randomBytes(3).toString('hex')}`;
  schemas.push(schema);
  const url = new URL(inject('databaseUrl'));
  url.searchParams.set('schema', schema);
  return { schema, url: url.toString() };
}

function tempMigrationsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jineng-migrations-'));
  tempDirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function prismaSchemaSql(): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      'scripts/prisma.mjs',
      'migrate',
      'diff',
      '--from-empty',
      '--to-schema-datamodel',
      'prisma/schema.prisma',
      '--script',
    ],
    // prisma.config.ts hands the CLI a driver adapter that connects to DATABASE_URL even for `migrate diff`:
    // point it at the run's database so a developer's unreachable DATABASE_URL cannot fail this test.
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, DATABASE_URL: inject('databaseUrl') } },
  );
  return stdout;
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
});

afterAll(async () => {
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  await client.end();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('prisma/migrations', () => {
  it('build exactly the schema prisma/schema.prisma describes', async () => {
    const migrated = freshSchema('migrated');
    const generated = freshSchema('generated');
    await migrate(migrated.url);
    const sql = await prismaSchemaSql();
    expect(sql).toContain('CREATE TABLE');
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA ${quoteIdent(generated.schema)}`);
    await client.query(`SET LOCAL search_path TO ${quoteIdent(generated.schema)}`);
    await client.query(sql);
    await client.query('COMMIT');

    const fromMigrations = await readCatalog(client, migrated.schema, ['_prisma_migrations']);
    const fromSchema = await readCatalog(client, generated.schema);
    // Prisma's schema language has no CHECK constraints or partial indexes: they live only in hand-written
    // migrations and are proven by the next test instead.
    expect(fromSchema.handWritten).toEqual({ checks: [], partialIndexes: [] });
    const { handWritten: _ignored, ...actual } = fromMigrations;
    const { handWritten: _none, ...expected } = fromSchema;
    expect(actual.tables.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('enforce the hand-written rules Prisma cannot express', async () => {
    const { schema, url } = freshSchema('rules');
    await migrate(url);
    const catalog = await readCatalog(client, schema, ['_prisma_migrations']);
    expect(catalog.handWritten.checks).toEqual(
      expect.arrayContaining(['courses.courses_seats_within_capacity', 'enrolments.enrolments_status_valid']),
    );
    expect(catalog.handWritten.partialIndexes).toContain(
      'enrolments.enrolments_course_waitlist_position_key',
    );

    const q = quoteIdent(schema);
    const course = await client.query<{ id: string }>(
      `INSERT INTO ${q}.courses (id, code, title, trade, training_type, county, venue, capacity, updated_at)
       VALUES (gen_random_uuid(), 'RULES-1', 'x', 'welder', 'employment', 'ludian', 'v', 2, now()) RETURNING id`,
    );
    const courseId = course.rows[0]!.id;
    const people = await client.query<{ id: string }>(
      `INSERT INTO ${q}.people (id, updated_at) SELECT gen_random_uuid(), now() FROM generate_series(1, 3) RETURNING id`,
    );
    const [a, b, c] = people.rows.map((r) => r.id);
    const enrol = (personId: string | undefined, status: string, position: number | null) =>
      client.query(
        `INSERT INTO ${q}.enrolments (id, person_id, course_id, status, waitlist_position, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, now())`,
        [personId, courseId, status, position],
      );
    const violation = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: pg.DatabaseError) => error.constraint,
      );

    await client.query(`UPDATE ${q}.courses SET seats_taken = capacity WHERE id = $1`, [courseId]);
    expect(
      await violation(
        client.query(`UPDATE ${q}.courses SET seats_taken = capacity + 1 WHERE id = $1`, [courseId]),
      ),
    ).toBe('courses_seats_within_capacity');
    expect(
      await violation(client.query(`UPDATE ${q}.courses SET seats_taken = -1 WHERE id = $1`, [courseId])),
    ).toBe('courses_seats_within_capacity');
    expect(
      await violation(client.query(`UPDATE ${q}.courses SET status = 'paused' WHERE id = $1`, [courseId])),
    ).toBe('courses_status_valid');

    await enrol(a, 'waitlisted', 1);
    expect(await violation(enrol(b, 'waitlisted', 1))).toBe('enrolments_course_waitlist_position_key');
    expect(await violation(enrol(b, 'waitlisted', null))).toBe('enrolments_waitlist_position_iff_waitlisted');
    expect(await violation(enrol(b, 'confirmed', 2))).toBe('enrolments_waitlist_position_iff_waitlisted');
    expect(await violation(enrol(b, 'maybe', null))).toBe('enrolments_status_valid');
    // Positions only need to be unique among waitlisted rows of one course.
    await enrol(b, 'waitlisted', 2);
    await enrol(c, 'confirmed', null);
  });

  it('apply once, record each migration like Prisma, and do nothing the second time', async () => {
    const { schema, url } = freshSchema('twice');
    const files = readMigrations();
    const names = files.map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);

    expect(await migrate(url)).toEqual({ applied: names, alreadyApplied: [] });
    const recorded = `SELECT migration_name, checksum, started_at, finished_at, applied_steps_count, rolled_back_at
      FROM ${quoteIdent(schema)}."_prisma_migrations" ORDER BY migration_name`;
    const first = await client.query(recorded);
    expect(await migrate(url)).toEqual({ applied: [], alreadyApplied: names });
    const second = await client.query(recorded);

    expect(second.rows).toEqual(first.rows);
    expect(first.rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of first.rows) {
      const sql = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('refuse to run when an applied migration was edited', async () => {
    const dir = tempMigrationsCopy();
    const { url } = freshSchema('edited');
    await migrate(url, dir);
    const last = readMigrations(dir).at(-1)!;
    appendFileSync(join(dir, last.name, 'migration.sql'), '\n-- edited after it was applied\n');
    await expect(migrate(url, dir)).rejects.toThrow(
      `Migration ${last.name} was changed after it was applied`,
    );
  });

  it('apply a new migration on top, and leave no record of one that fails', async () => {
    const dir = tempMigrationsCopy();
    const { schema, url } = freshSchema('pending');
    await migrate(url, dir);

    mkdirSync(join(dir, '99990101000000_extra'));
    writeFileSync(
      join(dir, '99990101000000_extra', 'migration.sql'),
      'CREATE TABLE "extra" ("id" INTEGER);\n',
    );
    const result = await migrate(url, dir);
    expect(result.applied).toEqual(['99990101000000_extra']);

    mkdirSync(join(dir, '99990102000000_broken'));
    writeFileSync(
      join(dir, '99990102000000_broken', 'migration.sql'),
      'CREATE TABLE "half" ("id" INTEGER);\nSELECT no_such_function();\n',
    );
    await expect(migrate(url, dir)).rejects.toThrow('Migration 99990102000000_broken failed');
    const left = await client.query(
      `SELECT to_regclass($1) AS half, (SELECT count(*)::int FROM ${quoteIdent(schema)}."_prisma_migrations"
        WHERE migration_name = '99990102000000_broken') AS rows`,
      [`${quoteIdent(schema)}.half`],
    );
    expect(left.rows[0]).toEqual({ half: null, rows: 0 });
  });
});
