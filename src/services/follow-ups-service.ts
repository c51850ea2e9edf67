import { z } from 'zod';
import { courseInScope, personInScope } from '../core/access-scope';
import type { CoordinatorAccess } from '../core/outreach-ports';
import { maskIdNumber, maskName, maskPhone, redactIdNumbers } from '../core/people/mask';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { EnrolmentRepository, EnrolOutcome } from '../core/ports';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator-service';

/** What staff are asked to do: sign up or delete someone another coordinator could not reach, or check a clash. */
export const FOLLOW_UP_KINDS = ['enrol_referral', 'delete_referral', 'id_clash', 'no_channel'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** How each kind of follow-up can end; `enrolled` is also what the enrol button records. */
export const OUTCOMES: Record<FollowUpKind, readonly string[]> = {
  enrol_referral: ['enrolled', 'declined', 'unreachable'],
  delete_referral: ['deleted', 'declined', 'unreachable'],
  id_clash: ['same_person', 'different_people', 'unverified'],
  /** Listed by delivery (src/delivery/fallback.ts) when no chat, Official Account or SMS reaches the person. */
  no_channel: ['contact_updated', 'called', 'unreachable'],
};

export const resolveSchema = z.object({
  outcome: z.string().min(1).max(40),
  note: z
    .string()
    .trim()
    .max(500, 'too_long')
    .optional()
    .transform((v) => (v ? redactIdNumbers(v) : undefined)),
});

/** One open follow-up as staff see it: the person's data masked, enough to recognise them and call them. */
export interface FollowUpView {
  id: string;
  kind: FollowUpKind;
  raisedAt: Date;
  /** The console username of whoever raised it; undefined: the chat sign-up. */
  raisedBy?: string;
  course?: { code: string; title: string };
  person: { name: string; phone: string; idNumber: string };
  /** The referred course is the viewer's too: the page may sign the person up there. */
  canEnrol: boolean;
}

export type EnrolFollowUp =
  | { status: 'not_found' }
  | { status: 'not_allowed' }
  | { status: 'not_enrolled'; outcome: EnrolOutcome }
  | { status: 'enrolled'; outcome: EnrolOutcome };

const withPerson = {
  person: {
    select: {
      realName: true,
      phone: true,
      idNumberEnc: true,
      county: true,
      deletedAt: true,
      enrolments: { select: { course: { select: { code: true, county: true } } } },
    },
  },
  course: { select: { code: true, title: true, county: true } },
} as const;

export interface FollowUpDeps {
  db: Db;
  cipher: PiiCipher;
  /** The enrolment repository the dialog uses (seats, waitlist, reminders): the same rules hold. */
  enrolments: EnrolmentRepository;
  coordinators: CoordinatorService;
}

/**
 * The staff work queue (docs/access-scope.md): referrals and ID clashes stay open until someone who may see
 * the person resolves them. Scope is the one person rule of core/access-scope.ts; anything else is not found.
 */
export function createFollowUps(deps: FollowUpDeps) {
  const { db } = deps;

  async function openRows(access: CoordinatorAccess, where: { id?: string } = {}) {
    const rows = await db.followUp.findMany({
      where: { ...where, resolvedAt: null },
      include: withPerson,
      orderBy: [{ raisedAt: 'asc' }, { id: 'asc' }],
    });
    return rows.filter((r) =>
      personInScope(access, {
        county: r.person.county,
        courses: r.person.enrolments.map((e) => e.course),
      }),
    );
  }
  type Row = Awaited<ReturnType<typeof openRows>>[number];

  const enrollable = (access: CoordinatorAccess, r: Row) =>
    r.kind === 'enrol_referral' &&
    r.course !== null &&
    !r.person.deletedAt &&
    courseInScope(access, r.course);

  async function resolveRow(actorId: string, r: Row, outcome: string, note?: string) {
    const done = await db.followUp.updateMany({
      where: { id: r.id, resolvedAt: null },
      data: { resolvedAt: new Date(), resolvedBy: actorId, outcome, note: note ?? null },
    });
    if (done.count === 0) return false;
    await deps.coordinators.audit(actorId, 'followup.resolved', r.course?.code ?? r.id, {
      followUpId: r.id,
      kind: r.kind,
      personId: r.personId,
      outcome,
      ...(note ? { note } : {}),
    });
    return true;
  }

  return {
    async list(access: CoordinatorAccess): Promise<FollowUpView[]> {
      const rows = await openRows(access);
      const raisers = [...new Set(rows.flatMap((r) => (r.raisedBy ? [r.raisedBy] : [])))];
      const accounts = await db.consoleAccount.findMany({
        where: { personId: { in: raisers } },
        select: { personId: true, username: true },
      });
      const username = new Map(accounts.map((a) => [a.personId, a.username]));
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind as FollowUpKind,
        raisedAt: r.raisedAt,
        raisedBy: r.raisedBy ? (username.get(r.raisedBy) ?? '—') : undefined,
        course: r.course ? { code: r.course.code, title: r.course.title } : undefined,
        person: {
          name: r.person.realName ? maskName(r.person.realName) : '',
          phone: r.person.phone ? maskPhone(r.person.phone) : '',
          idNumber: r.person.idNumberEnc ? maskIdNumber(deps.cipher.decrypt(r.person.idNumberEnc)) : '',
        },
        canEnrol: enrollable(access, r),
      }));
    },

    async openCount(access: CoordinatorAccess): Promise<number> {
      return (await openRows(access)).length;
    },

    /** Closes an open follow-up the actor may see with one of its kind's outcomes; audited. */
    async resolve(
      access: CoordinatorAccess,
      actorId: string,
      id: string,
      input: z.infer<typeof resolveSchema>,
    ): Promise<'resolved' | 'not_found' | 'invalid'> {
      const [row] = await openRows(access, { id });
      if (!row) return 'not_found';
      if (!OUTCOMES[row.kind as FollowUpKind]?.includes(input.outcome)) return 'invalid';
      return (await resolveRow(actorId, row, input.outcome, input.note)) ? 'resolved' : 'not_found';
    },

    /**
     * Signs the referred person up for the referred course (the coordinator who raised it recorded their
     * consent), through the same repository and seat rules as every sign-up, then resolves it as `enrolled`.
     */
    async enrol(access: CoordinatorAccess, actorId: string, id: string): Promise<EnrolFollowUp> {
      const [row] = await openRows(access, { id });
      if (!row) return { status: 'not_found' };
      if (!enrollable(access, row) || !row.course) return { status: 'not_allowed' };
      const outcome = await deps.enrolments.enrol(row.personId, row.course.code, 'coordinator');
      if (outcome.status === 'closed' || outcome.status === 'not_found')
        return { status: 'not_enrolled', outcome };
      await deps.coordinators.audit(actorId, 'enrolment.on_behalf', row.course.code, {
        personId: row.personId,
        outcome: outcome.status,
        followUpId: row.id,
      });
      await resolveRow(actorId, row, 'enrolled');
      return { status: 'enrolled', outcome };
    },
  };
}

export type FollowUps = ReturnType<typeof createFollowUps>;
