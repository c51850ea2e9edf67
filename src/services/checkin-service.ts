import type { Config } from '../config';
import { checkinToken, matchCode, shownCode } from '../core/attendance/checkin-code';
import type { CheckinDialogPort, CheckinOutcome, CheckinWho } from '../core/attendance/checkin-port';
import {
  type CheckinRules,
  checkinStatus,
  checkinWindow,
  windowState,
} from '../core/attendance/checkin-rules';
import type { FamilyRelation } from '../core/domain';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { Db } from '../db/prisma-client';
import { currentOrNextSession, SESSION_SELECT, type SessionRow, sessionRef } from './checkin-sessions';
import type { CoordinatorService } from './coordinator-service';

export interface CheckinDeps {
  db: Db;
  /** The HMAC key of the codes (CHECKIN_SECRET, else derived from the PII hash key: see checkinSecret). */
  secret: string;
  rules: CheckinRules;
  coordinators: Pick<CoordinatorService, 'access' | 'audit' | 'inScope'>;
  /** Where the web chat and the console are reached from outside (CHECKIN_LINK_BASE_URL), for links in chat. */
  baseUrl?: string;
}

const DAY = 86_400_000;

/** The check-in rules the configuration sets (CHECKIN_*). */
export function checkinRulesOf(config: Config): CheckinRules {
  return {
    stepMinutes: config.CHECKIN_STEP_MINUTES,
    opensBeforeMinutes: config.CHECKIN_OPENS_MINUTES,
    closesAfterMinutes: config.CHECKIN_CLOSES_MINUTES,
    lateAfterMinutes: config.CHECKIN_LATE_MINUTES,
  };
}

/**
 * The codes' key: CHECKIN_SECRET, else one derived from the PII hash key, so the bot, the console and the CLI
 * compute the same codes without another secret to distribute (and the hash key itself is never used as is).
 */
export function checkinSecret(config: Config, cipher: Pick<PiiCipher, 'hash'>): string {
  return config.CHECKIN_SECRET ?? cipher.hash('jineng:checkin-code:v1');
}
const ACTIVE = ['confirmed', 'attended'];

/** The links a session's QR codes open: the web chat with the check-in filled in, and Telegram's deep link. */
export function checkinLinks(baseUrl: string | undefined, token: string, telegramBot?: string) {
  return {
    web: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/chat?checkin=${token}` : `/chat?checkin=${token}`,
    telegram: telegramBot ? `https://t.me/${telegramBot}?start=ci_${token}` : undefined,
  };
}

/** The sign-ups a person may check in for: their own and those of family members they signed up. */
async function signUpsOf(db: Db, personId: string) {
  const links = await db.familyLink.findMany({
    where: { proxyId: personId, member: { deletedAt: null } },
    select: { relation: true, member: { select: { id: true, realName: true } } },
  });
  const members = new Map(links.map((l) => [l.member.id, l]));
  const enrolments = await db.enrolment.findMany({
    where: { personId: { in: [personId, ...members.keys()] }, status: { in: ACTIVE } },
    select: { id: true, personId: true, courseId: true },
    orderBy: { createdAt: 'asc' },
  });
  return enrolments.map((e) => {
    const link = members.get(e.personId);
    const who: CheckinWho = link
      ? {
          enrolmentId: e.id,
          self: false,
          relation: link.relation as FamilyRelation,
          name: link.member.realName ?? undefined,
        }
      : { enrolmentId: e.id, self: true };
    return { ...e, who };
  });
}

/**
 * How long after the scan a check-in may still be completed with the code as it was then (the person linked
 * the chat by SMS code meanwhile): a little more than a linking code lives. The window must still be open.
 */
const SCAN_GRACE_MS = 20 * 60_000;

/** Check-in by code or QR link, for the dialog (docs/attendance.md). */
export function createCheckinService(deps: CheckinDeps): CheckinDialogPort {
  const { db, secret, rules } = deps;
  // An older code is recognised as expired (not wrong) for as long as a check-in window lasts.
  const lookBack = Math.ceil((rules.opensBeforeMinutes + rules.closesAfterMinutes) / rules.stepMinutes) + 2;

  /** Records a check-in; an earlier self check-in stays, a coordinator's absent/excused gives way to it. */
  async function record(enrolmentId: string, session: SessionRow, method: 'code' | 'qr', now: Date) {
    const status = checkinStatus(now, session.startsAt, rules);
    const data = { status, method, checkedInAt: now, markedBy: null };
    const created = await db.attendance.createMany({
      data: [{ enrolmentId, sessionId: session.id, ...data }],
      skipDuplicates: true,
    });
    if (created.count) return { fresh: true as const, late: status === 'late', at: now };
    const upgraded = await db.attendance.updateMany({
      where: { enrolmentId, sessionId: session.id, method: 'manual', status: { in: ['absent', 'excused'] } },
      data,
    });
    if (upgraded.count) return { fresh: true as const, late: status === 'late', at: now };
    const row = await db.attendance.findUniqueOrThrow({
      where: { enrolmentId_sessionId: { enrolmentId, sessionId: session.id } },
    });
    return { fresh: false as const, late: row.status === 'late', at: row.checkedInAt ?? row.updatedAt };
  }

  async function decide(
    session: SessionRow,
    mine: { who: CheckinWho }[],
    match: 'current' | 'stale',
    attempt: { now: Date; method: 'code' | 'qr'; enrolmentIds?: string[] },
  ): Promise<CheckinOutcome> {
    const ref = await sessionRef(db, session);
    const state = windowState(attempt.now, session.startsAt, rules);
    if (state !== 'open') {
      const w = checkinWindow(session.startsAt, rules);
      return { status: 'outside_window', session: ref, opensAt: w.opensAt, closesAt: w.closesAt, state };
    }
    if (match === 'stale') return { status: 'expired', session: ref };
    const picked = attempt.enrolmentIds
      ? mine.filter((m) => attempt.enrolmentIds!.includes(m.who.enrolmentId))
      : mine;
    if (!picked.length) return { status: 'not_enrolled', session: ref };
    if (picked.length > 1 && !attempt.enrolmentIds)
      return { status: 'choose', session: ref, sessionId: session.id, who: picked.map((m) => m.who) };
    const done: CheckinWho[] = [];
    let late = false;
    let first: { who: CheckinWho; at: Date; late: boolean } | undefined;
    for (const m of picked) {
      const r = await record(m.who.enrolmentId, session, attempt.method, attempt.now);
      first ??= { who: m.who, at: r.at, late: r.late };
      if (r.fresh) {
        done.push(m.who);
        late ||= r.late;
      }
    }
    if (!done.length && first) return { status: 'already', session: ref, ...first };
    return { status: 'checked_in', session: ref, who: done, late };
  }

  const ref = (s: SessionRow) => sessionRef(db, s);

  return {
    stepMinutes: rules.stepMinutes,
    async checkIn(attempt) {
      const { now } = attempt;
      // The code is checked as of the scan when that was a little earlier (linking the chat took a few minutes).
      const { scannedAt } = attempt;
      const scanAge = scannedAt ? now.getTime() - scannedAt.getTime() : -1;
      const codeTime = scannedAt && scanAge >= 0 && scanAge <= SCAN_GRACE_MS ? scannedAt : now;
      const signUps = await signUpsOf(db, attempt.personId);
      const mineIn = (courseId: string) => signUps.filter((s) => s.courseId === courseId);

      if (attempt.sessionId) {
        // The QR link names its session: only its code is checked.
        const session = await db.classSession.findUnique({
          where: { id: attempt.sessionId },
          select: SESSION_SELECT,
        });
        if (!session || session.cancelled) return { status: 'wrong_code' };
        const match = matchCode(secret, session.id, attempt.code, codeTime, rules, lookBack);
        if (match === 'none') return { status: 'wrong_code' };
        const mine = mineIn(session.courseId);
        // No sign-up at all (e.g. signed up on another channel): the reply says where to check in instead.
        if (!signUps.length) return { status: 'not_enrolled' };
        if (!mine.length) return { status: 'not_enrolled', session: await ref(session) };
        return decide(session, mine, match, attempt);
      }

      const courseIds = [...new Set(signUps.map((s) => s.courseId))];
      const candidates = courseIds.length
        ? await db.classSession.findMany({
            where: {
              courseId: { in: courseIds },
              cancelled: false,
              startsAt: { gte: new Date(now.getTime() - DAY), lte: new Date(now.getTime() + DAY) },
            },
            select: SESSION_SELECT,
            orderBy: { startsAt: 'asc' },
          })
        : [];
      const matches = candidates.map((s) => ({
        s,
        match: matchCode(secret, s.id, attempt.code, codeTime, rules, lookBack),
      }));
      const hit = matches.find((m) => m.match === 'current') ?? matches.find((m) => m.match === 'stale');
      if (hit && hit.match !== 'none') return decide(hit.s, mineIn(hit.s.courseId), hit.match, attempt);

      // Another class's code: the person is not in that class.
      const margin = 2 * rules.stepMinutes * 60_000;
      const others = await db.classSession.findMany({
        where: {
          cancelled: false,
          ...(courseIds.length ? { courseId: { notIn: courseIds } } : {}),
          startsAt: {
            gte: new Date(now.getTime() - rules.closesAfterMinutes * 60_000 - margin),
            lte: new Date(now.getTime() + rules.opensBeforeMinutes * 60_000 + margin),
          },
        },
        select: SESSION_SELECT,
        take: 500,
      });
      if (!signUps.length) return { status: 'not_enrolled' };
      const other = others.find((s) => matchCode(secret, s.id, attempt.code, now, rules) === 'current');
      if (other) return { status: 'not_enrolled', session: await ref(other) };

      if (!candidates.some((s) => windowState(now, s.startsAt, rules) === 'open')) {
        const next = await db.classSession.findFirst({
          where: { courseId: { in: courseIds }, cancelled: false, startsAt: { gt: now } },
          select: SESSION_SELECT,
          orderBy: { startsAt: 'asc' },
        });
        if (!next) return { status: 'outside_window', state: 'none' };
        const w = checkinWindow(next.startsAt, rules);
        return {
          status: 'outside_window',
          state: 'none',
          session: await ref(next),
          opensAt: w.opensAt,
          closesAt: w.closesAt,
        };
      }
      return { status: 'wrong_code' };
    },

    async showCode(personId, identity, courseCode, now) {
      const access = await deps.coordinators.access(personId, identity);
      if (!access) {
        await deps.coordinators.audit(personId, 'coordinator.refused', 'attendance.code');
        return { status: 'not_coordinator' };
      }
      let session: SessionRow | undefined;
      if (courseCode) {
        const course = await db.course.findFirst({
          where: { AND: [deps.coordinators.inScope(access), { code: courseCode }] },
          select: { id: true },
        });
        if (!course) return { status: 'no_course', courseCode };
        session = await currentOrNextSession(db, course.id, now, rules.closesAfterMinutes);
        if (!session) return { status: 'no_session', courseCode };
      } else {
        // No course named: the one class of their scope whose check-in is open now, if there is exactly one.
        const open = await db.classSession.findMany({
          where: {
            cancelled: false,
            course: deps.coordinators.inScope(access),
            startsAt: {
              gte: new Date(now.getTime() - rules.closesAfterMinutes * 60_000),
              lte: new Date(now.getTime() + rules.opensBeforeMinutes * 60_000),
            },
          },
          select: SESSION_SELECT,
          take: 2,
        });
        session = open.length === 1 ? open[0] : undefined;
        if (!open.length) {
          // Nothing open now, and they look after exactly one course: its next class, with when check-in opens.
          const only = await db.course.findMany({
            where: deps.coordinators.inScope(access),
            select: { id: true, code: true },
            take: 2,
          });
          if (only.length === 1) {
            session = await currentOrNextSession(db, only[0]!.id, now, rules.closesAfterMinutes);
            if (!session) return { status: 'no_session', courseCode: only[0]!.code };
          }
        }
        if (!session) return { status: 'no_course' };
      }
      const sref = await ref(session);
      const w = checkinWindow(session.startsAt, rules);
      const base = deps.baseUrl?.replace(/\/+$/, '');
      const page = base
        ? `${base}/console/courses/${sref.courseCode}/attendance/${sref.number}/code`
        : undefined;
      if (windowState(now, session.startsAt, rules) !== 'open')
        return { status: 'ok', session: sref, opensAt: w.opensAt, closesAt: w.closesAt, page };
      const shown = shownCode(secret, session.id, session.startsAt, now, rules);
      return {
        status: 'ok',
        session: sref,
        code: shown.code,
        validUntil: shown.validUntil,
        opensAt: w.opensAt,
        closesAt: w.closesAt,
        link: base ? checkinLinks(base, checkinToken(session.id, shown.code)).web : undefined,
        page,
      };
    },
  };
}
