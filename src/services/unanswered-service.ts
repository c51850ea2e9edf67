import type { QuestionMatcher, QuestionTerms } from '../core/curated/question-terms';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';

/**
 * Two logged questions go in one group when their term sets (core/curated/question-terms.ts) are at least
 * this similar (Jaccard), to any question already in the group. Looser than the curated-answer threshold:
 * a group is something staff read, not an answer given.
 */
export const GROUP_THRESHOLD = 0.3;
/** The questions grouped: open ones of the last WINDOW_DAYS, at most MAX_QUESTIONS, newest kept. */
const WINDOW_DAYS = 90;
const MAX_QUESTIONS = 3_000;
/** A new question is compared with at most this many members of each group. */
const COMPARED_MEMBERS = 12;
const EXAMPLES = 5;

export interface UnansweredGroup {
  /** `u<id of its first question>`: stable while that question is open. */
  id: string;
  count: number;
  /** Distinct texts, most asked first. */
  examples: string[];
  firstAskedAt: Date;
  lastAskedAt: Date;
  /** Channel of its latest question. */
  channel: string;
  locales: string[];
  /** What the bot did: abstain / clarify / policy (low confidence), with counts. */
  answers: Record<string, number>;
  /** The plan's most frequent best clause for it, and the best confidence the plan had. */
  clauseId?: string;
  confidence: number;
  questionIds: bigint[];
}

/** What the staff inbox lists for each open group (issue 17 item 5; see .scratch/answers-api.md). */
export interface UnansweredInboxItem {
  id: string;
  kind: 'unanswered';
  channel: string;
  user: '';
  text: string;
  waiting_s: number;
}

/** Who is looking: a console user's scope, or an operator (CLI, the inbox): everything. */
export type UnansweredViewer = CoordinatorAccess | 'operator';

/** Admins and operators see every question; a county coordinator those asked by people of their counties. */
function visible(viewer: UnansweredViewer, county: string | null): boolean {
  if (viewer === 'operator' || viewer.role === 'admin') return true;
  return county !== null && viewer.counties.includes(county);
}

interface Member {
  id: bigint;
  text: string;
  terms: QuestionTerms;
}

/** The unanswered view: logged questions grouped by similarity, with counts. */
export function createUnanswered(deps: { db: Db; matcher: QuestionMatcher; clock?: () => Date }) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  async function groups(viewer: UnansweredViewer): Promise<UnansweredGroup[]> {
    const since = new Date(clock().getTime() - WINDOW_DAYS * 86_400_000);
    const rows = (
      await db.unansweredQuestion.findMany({
        where: { closedAt: null, askedAt: { gte: since } },
        orderBy: [{ askedAt: 'desc' }, { id: 'desc' }],
        take: MAX_QUESTIONS,
      })
    )
      .filter((r) => visible(viewer, r.county))
      .reverse();
    const built: {
      group: UnansweredGroup;
      members: Member[];
      texts: Map<string, number>;
      clauses: Map<string, number>;
    }[] = [];
    const byTerm = new Map<string, Set<(typeof built)[number]>>();
    const byText = new Map<string, (typeof built)[number]>();
    for (const r of rows) {
      const member: Member = { id: r.id, text: r.text, terms: deps.matcher.terms(r.text) };
      let home = byText.get(r.text);
      let best = home ? 1 : 0;
      // Only groups sharing a term with the question can reach the threshold: found through `byTerm`.
      const candidates = new Set<(typeof built)[number]>();
      if (!home)
        for (const term of member.terms.keys()) for (const g of byTerm.get(term) ?? []) candidates.add(g);
      for (const g of candidates) {
        for (const m of g.members.slice(0, COMPARED_MEMBERS)) {
          const score = deps.matcher.similarity(m.terms, member.terms);
          if (score > best) {
            best = score;
            home = g;
          }
        }
      }
      if (!home || best < GROUP_THRESHOLD) {
        home = {
          group: {
            id: `u${r.id}`,
            count: 0,
            examples: [],
            firstAskedAt: r.askedAt,
            lastAskedAt: r.askedAt,
            channel: r.channel,
            locales: [],
            answers: {},
            confidence: 0,
            questionIds: [],
          },
          members: [],
          texts: new Map(),
          clauses: new Map(),
        };
        built.push(home);
      }
      const g = home.group;
      g.count++;
      g.lastAskedAt = r.askedAt;
      g.channel = r.channel;
      if (!g.locales.includes(r.locale)) g.locales.push(r.locale);
      g.answers[r.answer] = (g.answers[r.answer] ?? 0) + 1;
      g.confidence = Math.max(g.confidence, r.confidence);
      g.questionIds.push(r.id);
      if (home.members.length < COMPARED_MEMBERS)
        for (const term of member.terms.keys()) {
          const groups = byTerm.get(term) ?? new Set();
          groups.add(home);
          byTerm.set(term, groups);
        }
      home.members.push(member);
      byText.set(r.text, home);
      home.texts.set(r.text, (home.texts.get(r.text) ?? 0) + 1);
      if (r.clauseId) home.clauses.set(r.clauseId, (home.clauses.get(r.clauseId) ?? 0) + 1);
    }
    const byCount = <K>(m: Map<K, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    return built
      .map(({ group, texts, clauses }) => ({
        ...group,
        examples: byCount(texts).slice(0, EXAMPLES),
        clauseId: byCount(clauses)[0],
      }))
      .sort((a, b) => b.count - a.count || b.lastAskedAt.getTime() - a.lastAskedAt.getTime());
  }

  const group = async (viewer: UnansweredViewer, id: string): Promise<UnansweredGroup | undefined> =>
    (await groups(viewer)).find((g) => g.id === id);

  return {
    groups,
    group,

    /** Open groups as items of the staff inbox, oldest waiting first. */
    async inboxItems(): Promise<UnansweredInboxItem[]> {
      const now = clock().getTime();
      return (await groups('operator'))
        .map((g) => ({
          id: g.id,
          kind: 'unanswered' as const,
          channel: g.channel,
          user: '' as const,
          text: g.examples[0] ?? '',
          waiting_s: Math.max(0, Math.round((now - g.firstAskedAt.getTime()) / 1000)),
        }))
        .sort((a, b) => b.waiting_s - a.waiting_s);
    },

    /** Closes every open question of a group (dismissed, or answered elsewhere); false when no such group. */
    async close(viewer: UnansweredViewer, id: string): Promise<boolean> {
      const g = await group(viewer, id);
      if (!g) return false;
      await db.unansweredQuestion.updateMany({
        where: { id: { in: g.questionIds }, closedAt: null },
        data: { closedAt: clock() },
      });
      return true;
    },
  };
}

export type Unanswered = ReturnType<typeof createUnanswered>;

/**
 * For the staff inbox (`inbox list --json`, the inbox page): every open group of unanswered questions as one
 * open item `{id, kind: 'unanswered', channel, user: '', text, waiting_s}`, oldest waiting first. `matcher`:
 * `loadQuestionMatcher(loadKnowledge())` from src/app/question-matcher.ts (built once per process).
 */
export function unansweredInboxItems(db: Db, matcher: QuestionMatcher, now = new Date()) {
  return createUnanswered({ db, matcher, clock: () => now }).inboxItems();
}

/** Closes an unanswered item of the inbox (`inbox close u123`): its questions are no longer open. */
export function closeUnansweredItem(db: Db, matcher: QuestionMatcher, id: string, now = new Date()) {
  return createUnanswered({ db, matcher, clock: () => now }).close('operator', id);
}
