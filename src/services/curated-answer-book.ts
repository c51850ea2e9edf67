import type pg from 'pg';
import type { CuratedAnswerBook, PreparedCuratedAnswer } from '../core/curated/curated-ports';
import type { QuestionMatcher } from '../core/curated/question-terms';
import type { Db } from '../db/prisma-client';
import { sqlRunner } from '../db/repositories/sql-runner';

/** How old the dialog's list may get before a turn starts a reload: a CLI `answers add` answers within this. */
export const CURATED_REFRESH_MS = 2_000;

export interface CuratedBookDeps {
  db: Db;
  /** The runtime's `pg` pool: the reload (every `refreshMs` while people write) then costs no Prisma compile. */
  pool?: pg.Pool;
  matcher: QuestionMatcher;
  refreshMs?: number;
  onError: (error: unknown) => void;
  clock?: () => number;
}

/** The live answers; the day as text (a `date` read as a JS Date would shift with the server's time zone). */
const LIVE_SQL = `
  SELECT id, version, questions, answer, clause_ids AS "clauseIds", county,
    to_char(valid_until, 'YYYY-MM-DD') AS "validUntil", updated_at AS "updatedAt"
  FROM curated_answers WHERE retired_at IS NULL`;

interface LiveRow {
  id: string;
  version: number;
  questions: string[];
  answer: string;
  clauseIds: string[];
  county: string | null;
  validUntil: string | null;
  updatedAt: Date;
}

/**
 * The live curated answers for the dialog, held in memory with their question variants' term sets. A turn
 * never waits for the database except for the very first load: when the list is older than `refreshMs` a
 * turn starts a reload in the background and goes on with the list it has (so answers added by another
 * process — the CLI, another bot instance — answer within seconds). `invalidate` (after a change in this
 * process) makes the next turn reload.
 */
export function createCuratedAnswerBook(deps: CuratedBookDeps): CuratedAnswerBook & { invalidate(): void } {
  const sql = sqlRunner(deps.db, deps.pool, new Map([[LIVE_SQL, 'jineng_curated_live']]));
  const refreshMs = deps.refreshMs ?? CURATED_REFRESH_MS;
  const clock = deps.clock ?? Date.now;
  /** Term sets by answer id and version: a reload re-tokenises only what changed. */
  let prepared = new Map<string, PreparedCuratedAnswer>();
  let list: readonly PreparedCuratedAnswer[] = [];
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  let first: Promise<void> | undefined;

  async function load(): Promise<void> {
    const started = clock();
    const rows = await sql.query<LiveRow>(LIVE_SQL, []);
    const next = new Map<string, PreparedCuratedAnswer>();
    for (const r of rows) {
      const known = prepared.get(r.id);
      next.set(
        r.id,
        known && known.version === r.version
          ? known
          : {
              id: r.id,
              version: r.version,
              answer: r.answer,
              clauseIds: r.clauseIds,
              county: r.county ?? undefined,
              validUntil: r.validUntil ?? undefined,
              updatedAt: r.updatedAt,
              variants: r.questions.map((q) => deps.matcher.terms(q)),
            },
      );
    }
    prepared = next;
    list = [...next.values()];
    loadedAt = started;
  }

  function reload(): Promise<void> {
    loading ??= load()
      .catch((error: unknown) => {
        deps.onError(error);
        // Try again after the usual interval, not on every turn while the database is away.
        loadedAt = clock();
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  return {
    async live() {
      first ??= reload();
      await first;
      if (clock() - loadedAt >= refreshMs) void reload();
      return list;
    },
    invalidate() {
      loadedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
