import type { CoordinatorAccess } from '../core/outreach-ports';
import { maskIdNumber } from '../core/people/mask';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator-service';

export interface RosterRow {
  /** For the page's per-person actions; never exported. */
  enrolmentId: string;
  /** The person deleted their data (the row stays, anonymous, for attendance counts). */
  deleted: boolean;
  name: string;
  phone: string;
  /** 5306**********123X; the number itself never leaves this function. */
  idNumber: string;
  /** The person typed an ID number someone else had registered first (person.id_clash): staff check it. */
  idToCheck?: boolean;
  status: string;
  waitlistPosition?: number;
  source: string;
  channel: string;
  enrolledAt: Date;
}

const ORDER: Record<string, number> = { confirmed: 0, attended: 1, waitlisted: 2, cancelled: 3 };

/** A course's sign-ups for its coordinators, with ID numbers masked; reading it is audited. */
export function createRoster(db: Db, cipher: PiiCipher, coordinators: CoordinatorService) {
  return {
    async forCourse(
      access: CoordinatorAccess,
      code: string,
      actorId: string,
      purpose: 'viewed' | 'exported',
    ) {
      const course = await db.course.findFirst({
        where: { AND: [coordinators.inScope(access), { code: code.toUpperCase() }] },
        include: {
          enrolments: {
            include: { person: { include: { identities: { select: { channel: true }, take: 1 } } } },
            orderBy: [{ createdAt: 'asc' }],
          },
        },
      });
      if (!course) return undefined;
      const rows: RosterRow[] = course.enrolments
        .map((e) => ({
          enrolmentId: e.id,
          deleted: Boolean(e.person.deletedAt),
          name: e.person.realName ?? '',
          phone: e.person.phone ?? '',
          idNumber: e.person.idNumberEnc ? maskIdNumber(cipher.decrypt(e.person.idNumberEnc)) : '',
          idToCheck: Boolean(e.person.idNumberEnc && !e.person.idNumberHash),
          status: e.status,
          waitlistPosition: e.waitlistPosition ?? undefined,
          source: e.source,
          channel: e.person.identities[0]?.channel ?? '',
          enrolledAt: e.createdAt,
        }))
        .sort(
          (a, b) =>
            (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) ||
            (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0),
        );
      await coordinators.audit(actorId, `roster.${purpose}`, course.code, { rows: rows.length });
      return { course, rows };
    },
  };
}

export type Roster = ReturnType<typeof createRoster>;
