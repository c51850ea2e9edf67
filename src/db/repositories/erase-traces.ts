import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client';

/** What stands where an erased person's name, phone or ID number was quoted in someone else's text. */
export const ERASED_MARK = '***';

/** A text that could be in a stored message, broadcast or audit entry and would name the person. */
export function tracesOf(person: {
  realName: string | null;
  phone: string | null;
  idNumber: string | undefined;
}): string[] {
  const traces = [person.realName?.trim(), person.phone, person.idNumber, person.idNumber?.toLowerCase()];
  // A one-character "name" would match half of all Chinese text; the sign-up never accepts one anyway.
  return [...new Set(traces.filter((t): t is string => Boolean(t && Array.from(t).length >= 2)))];
}

/**
 * What the scrub looks for: quoted traces, and audit targets that are the console username itself (console
 * sign-ins are audited with the username, maybe their name, as the target). Stored encrypted, read back here.
 */
const scrubTargetSchema = z.object({ traces: z.array(z.string()), username: z.string().optional() });
export type ScrubTarget = z.infer<typeof scrubTargetSchema>;

/** Anything that can read and write with raw SQL: the client, or a transaction. */
type Raw = Pick<Prisma.TransactionClient, '$executeRaw' | '$queryRaw'>;

/** Safe to replace inside the text form of a JSON value without breaking it: no quote, backslash or control. */
const JSON_SAFE = /^[^"\\\u0000-\u001f]+$/u;

/** `replace(replace(<column>, t1, '***'), t2, '***')…` over every trace. */
function replaced(column: Prisma.Sql, traces: readonly string[]): Prisma.Sql {
  return traces.reduce((text, t) => Prisma.sql`replace(${text}, ${t}, ${ERASED_MARK})`, column);
}

/** `strpos(<column>, t1) > 0 OR strpos(<column>, t2) > 0 …`; `false` without traces. */
function quotes(column: Prisma.Sql, traces: readonly string[]): Prisma.Sql {
  if (traces.length === 0) return Prisma.sql`false`;
  return Prisma.sql`(${Prisma.join(
    traces.map((t) => Prisma.sql`strpos(${column}, ${t}) > 0`),
    ' OR ',
  )})`;
}

/** The SET list and WHERE condition that scrub one table's texts; both refer to the table as `t`. */
interface Scrub {
  set: Prisma.Sql;
  where: Prisma.Sql;
}

/** A plain text column: each trace becomes ERASED_MARK. */
function textScrub(column: string, traces: readonly string[]): Scrub {
  const c = Prisma.raw(`t.${column}`);
  return { set: Prisma.sql`${Prisma.raw(column)} = ${replaced(c, traces)}`, where: quotes(c, traces) };
}

/**
 * A JSON column, through its text form. Replacing inside it keeps it valid only if no trace has a quote,
 * backslash or control character; otherwise a value that quotes them is dropped whole.
 */
function jsonValue(column: string, traces: readonly string[]): { value: Prisma.Sql; hit: Prisma.Sql } {
  const asText = Prisma.raw(`t.${column}::text`);
  const hit = quotes(asText, traces);
  const safe = traces.every((t) => JSON_SAFE.test(t));
  return { value: safe ? Prisma.sql`${replaced(asText, traces)}::jsonb` : Prisma.sql`NULL`, hit };
}

function jsonScrub(column: string, traces: readonly string[]): Scrub {
  const { value, hit } = jsonValue(column, traces);
  return { set: Prisma.sql`${Prisma.raw(column)} = ${value}`, where: hit };
}

/** Audit entries: the free text of target and detail, and a target that is the username itself. */
function auditScrub(target: ScrubTarget): Scrub {
  const { traces, username } = target;
  const names = username ? [username, username.slice(0, 32)] : [];
  const isName = names.length ? Prisma.sql`t.target IN (${Prisma.join(names)})` : Prisma.sql`false`;
  const inTarget = quotes(Prisma.raw('t.target'), traces);
  const detail = jsonValue('detail', traces);
  return {
    set: Prisma.sql`target = CASE WHEN ${isName} THEN ${ERASED_MARK} ELSE ${replaced(Prisma.raw('t.target'), traces)} END,
      detail = CASE WHEN ${detail.hit} THEN ${detail.value} ELSE t.detail END`,
    where: Prisma.sql`(${isName} OR ${inTarget} OR ${detail.hit})`,
  };
}

/** The tables the full scan walks, in this order, by primary key. */
export const SCRUB_TABLES = ['broadcasts', 'web_inbox', 'audit_log', 'deliveries'] as const;
export type ScrubTable = (typeof SCRUB_TABLES)[number];

const KEY_TYPE: Record<ScrubTable, 'uuid' | 'bigint'> = {
  broadcasts: 'uuid',
  web_inbox: 'bigint',
  audit_log: 'bigint',
  deliveries: 'uuid',
};
/** Below every key: uuids are never all zero, bigserial ids start at 1. */
const START: Record<'uuid' | 'bigint', string> = {
  uuid: '00000000-0000-0000-0000-000000000000',
  bigint: '0',
};

function scrubOf(table: ScrubTable, target: ScrubTarget): Scrub {
  if (table === 'audit_log') return auditScrub(target);
  if (table === 'deliveries') return jsonScrub('message', target.traces);
  return textScrub('text', target.traces);
}

/**
 * One batch of the full scan: the next `limit` rows of `table` after primary key `after`, scrubbed in one
 * short statement (a transaction of its own, row locks only on rows that quote the person). Returns the last
 * key of the batch, or undefined at the end of the table.
 */
export async function scrubBatch(
  db: Raw,
  table: ScrubTable,
  target: ScrubTarget,
  after: string | null,
  limit: number,
): Promise<{ last: string; changed: number } | undefined> {
  const { set, where } = scrubOf(table, target);
  const type = Prisma.raw(KEY_TYPE[table]);
  const from = after ?? START[KEY_TYPE[table]];
  const name = Prisma.raw(table);
  const rows = await db.$queryRaw<{ last: string | null; changed: number }[]>`
    WITH batch AS (SELECT id FROM ${name} WHERE id > ${from}::${type} ORDER BY id LIMIT ${limit}),
    changed AS (UPDATE ${name} t SET ${set} FROM batch WHERE t.id = batch.id AND ${where} RETURNING 1)
    SELECT (SELECT id::text FROM batch ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*)::int FROM changed) AS changed`;
  const row = rows[0];
  return row?.last ? { last: row.last, changed: row.changed } : undefined;
}

/**
 * Before the full scan, the places a text about the person most likely is, found by indexed keys: broadcasts
 * of the courses they signed up for and the copies of those sent to classmates, and audit entries they made.
 */
export async function scrubLikelyPlaces(db: Raw, personId: string, target: ScrubTarget): Promise<void> {
  const courses = Prisma.sql`SELECT course_id FROM enrolments WHERE person_id = ${personId}::uuid`;
  const broadcasts = Prisma.sql`SELECT id FROM broadcasts WHERE course_id IN (${courses})`;
  if (target.traces.length) {
    const text = textScrub('text', target.traces);
    await db.$executeRaw`UPDATE broadcasts t SET ${text.set} WHERE t.course_id IN (${courses}) AND ${text.where}`;
    const message = jsonScrub('message', target.traces);
    await db.$executeRaw`UPDATE deliveries t SET ${message.set}
      WHERE t.broadcast_id IN (${broadcasts}) AND ${message.where}`;
  }
  const audit = auditScrub(target);
  await db.$executeRaw`UPDATE audit_log t SET ${audit.set} WHERE t.actor_id = ${personId}::uuid AND ${audit.where}`;
}

/** How the scrub paces itself; tests make it small to see it interleave and resume. */
export interface ScrubPace {
  /** Rows per batch to start with; grows or shrinks so a batch takes about `batchMs`. */
  batchSize?: number;
  batchMs?: number;
  /** Pause between batches, so queries waiting for the connection (the embedded database's only one) go first. */
  pauseMs?: number;
  /** Stop after this many batches (tests: a process that stops half-way). */
  maxBatches?: number;
}

const STAGES = ['narrow', ...SCRUB_TABLES] as const;
const MIN_BATCH = 100;
const MAX_BATCH = 10_000;

/** The pending scrub's row: where it has got to, and what it looks for (encrypted: it names the person). */
interface Pending {
  personId: string;
  tracesEnc: string;
  stage: string;
  afterId: string | null;
}

/**
 * Runs (or goes on with) the pending scrub of one erased person, batch by batch, recording after each batch
 * where it got to; deletes the pending row at the end. Idempotent: a text already scrubbed quotes nothing.
 * Returns false if it stopped early (maxBatches).
 */
export async function runScrub(
  db: Raw & ScrubRows,
  decrypt: (token: string) => string,
  pending: Pending,
  pace: ScrubPace = {},
): Promise<boolean> {
  const target = scrubTargetSchema.parse(JSON.parse(decrypt(pending.tracesEnc)));
  const where = { personId: pending.personId };
  let size = pace.batchSize ?? 1_000;
  let batches = 0;
  let after = pending.afterId;
  for (let i = Math.max(0, STAGES.indexOf(pending.stage as never)); i < STAGES.length; i++) {
    const stage = STAGES[i]!;
    if (stage === 'narrow') await scrubLikelyPlaces(db, pending.personId, target);
    else
      for (;;) {
        if (pace.maxBatches !== undefined && batches >= pace.maxBatches) return false;
        const t0 = performance.now();
        const done = await scrubBatch(db, stage, target, after, size);
        batches++;
        if (!done) break;
        after = done.last;
        size = paced(size, performance.now() - t0, pace.batchMs ?? 25);
        await db.erasureScrub.updateMany({ where, data: { stage, afterId: after } });
        await new Promise((r) => setTimeout(r, pace.pauseMs ?? 5));
      }
    after = null;
    const next = STAGES[i + 1];
    if (next) await db.erasureScrub.updateMany({ where, data: { stage: next, afterId: null } });
  }
  await db.erasureScrub.deleteMany({ where });
  return true;
}

/** Doubles a batch that was quick, halves one that was slow. */
function paced(size: number, tookMs: number, targetMs: number): number {
  if (tookMs < targetMs / 2) return Math.min(size * 2, MAX_BATCH);
  if (tookMs > targetMs * 2) return Math.max(Math.floor(size / 2), MIN_BATCH);
  return size;
}

/** The pending-scrub rows, as the Prisma client (not a transaction) exposes them. */
interface ScrubRows {
  erasureScrub: Pick<Prisma.TransactionClient['erasureScrub'], 'updateMany' | 'deleteMany'>;
}
