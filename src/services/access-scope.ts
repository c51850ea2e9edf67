import { personInScope, type ScopedPerson } from '../core/access-scope';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { Prisma } from '../generated/prisma/client';

/** core/access-scope.ts `courseInScope`, as a filter on courses (test/unit/access-scope.test.ts keeps them equal). */
export function courseScopeWhere(access: CoordinatorAccess): Prisma.CourseWhereInput {
  if (access.role === 'admin') return {};
  return { OR: [{ code: { in: access.courseCodes } }, { county: { in: access.counties } }] };
}

/** What scope needs to know of a person: their county and every course they signed up for. */
export async function scopedPerson(db: Db, personId: string): Promise<ScopedPerson | undefined> {
  const row = await db.person.findUnique({
    where: { id: personId },
    select: {
      county: true,
      enrolments: { select: { course: { select: { code: true, county: true } } } },
    },
  });
  return row ? { county: row.county, courses: row.enrolments.map((e) => e.course) } : undefined;
}

export async function mayActOnPerson(db: Db, access: CoordinatorAccess, personId: string): Promise<boolean> {
  const person = await scopedPerson(db, personId);
  return person !== undefined && personInScope(access, person);
}

export type ReferralReason = 'enrol' | 'delete';

/**
 * A request about a person outside the actor's scope, handed to staff who can see them: an open follow-up
 * (the console's follow-ups page, for admins and coordinators whose scope covers the person) and an audit
 * entry (`person.referred`). No personal data is kept in either.
 */
export async function recordReferral(
  db: Db,
  audit: (
    actorId: string,
    action: string,
    target?: string,
    detail?: Record<string, unknown>,
  ) => Promise<void>,
  referral: {
    actorId: string;
    course: { id: string; code: string };
    personId: string;
    reason: ReferralReason;
    /** Enrol: whether the name typed is the one registered (a wrong ID number is likelier when it is not). */
    nameMatches?: boolean;
    /** Delete: how the person's request reached the coordinator. */
    method?: string;
  },
): Promise<void> {
  const { actorId, course, ...detail } = referral;
  const followUp = await db.followUp.create({
    data: {
      kind: referral.reason === 'enrol' ? 'enrol_referral' : 'delete_referral',
      personId: referral.personId,
      courseId: course.id,
      raisedBy: actorId,
    },
  });
  await audit(actorId, 'person.referred', course.code, { ...detail, followUpId: followUp.id });
}
