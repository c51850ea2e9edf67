import { z } from 'zod';
import type { CoordinatorAccess } from '../core/outreach-ports';
import { erasePerson } from '../core/people/erase-person';
import { maskIdNumber, maskPhone } from '../core/people/mask';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { EnrolmentRepository, PeopleRepository } from '../core/ports';
import type { Db } from '../db/prisma-client';
import { mayActOnPerson, recordReferral } from './access-scope';
import type { CoordinatorService } from './coordinator-service';

/** The coordinator confirms the person asked for it themselves, and says how the request reached them. */
export const deletionRequestSchema = z.object({
  requested: z.literal('yes', 'request'),
  method: z.enum(['in_person', 'phone', 'written'], 'choice'),
});
export type DeletionRequest = z.infer<typeof deletionRequestSchema>;

/** What the confirmation page shows: the roster's own (masked) forms, and how many sign-ups end. */
export interface DeletionPreview {
  courseCode: string;
  name: string;
  /** 138****5678 */
  phone: string;
  /** 5306**********123X; the number itself never leaves this file. */
  idNumber: string;
  deleted: boolean;
  /** A coordinator or console user: they delete their own data in chat, nobody else removes their access. */
  staff: boolean;
  /**
   * Everything of the person's lies in the coordinator's scope (core/access-scope.ts): otherwise the request
   * is referred to staff instead of carried out, since deleting would change what other areas see.
   */
  inScope: boolean;
  /** Sign-ups (in any course) that will be cancelled. */
  activeSignUps: number;
}

export type DeletionOutcome =
  | { status: 'deleted'; cancelled: number; promoted: number }
  | { status: 'already_deleted' }
  | { status: 'refused' }
  /** The person is not wholly in the coordinator's scope: nothing deleted, the request referred to staff. */
  | { status: 'referred' }
  | { status: 'not_found' };

export interface PersonDeletionDeps {
  db: Db;
  cipher: PiiCipher;
  people: PeopleRepository;
  /** The enrolment repository the dialog uses: a freed seat goes to the waitlist, reminders are removed. */
  enrolments: EnrolmentRepository;
  coordinators: CoordinatorService;
}

/**
 * PIPL deletion on a person's request made to a coordinator (people signed up on their behalf have no chat in
 * which to ask): the same steps as the chat's deletion, for a person enrolled in a course within the
 * coordinator's scope, written to the audit log without personal data.
 */
export function createPersonDeletion(deps: PersonDeletionDeps) {
  const { db } = deps;

  /** The person behind one sign-up of one course in scope; anything else is not found. */
  const find = (access: CoordinatorAccess, code: string, enrolmentId: string) =>
    db.enrolment.findFirst({
      where: { id: enrolmentId, course: { AND: [deps.coordinators.inScope(access), { code }] } },
      include: {
        course: { select: { id: true, code: true } },
        person: {
          include: { coordinator: { select: { personId: true } }, consoleAccount: { select: { id: true } } },
        },
      },
    });

  const cancellable = async (personId: string, now: Date) =>
    (await deps.enrolments.listActive(personId, now)).filter((e) => e.status !== 'attended');

  return {
    async preview(
      access: CoordinatorAccess,
      code: string,
      enrolmentId: string,
      now = new Date(),
    ): Promise<DeletionPreview | undefined> {
      const found = await find(access, code, enrolmentId);
      if (!found) return undefined;
      const { person } = found;
      const deleted = Boolean(person.deletedAt);
      return {
        courseCode: found.course.code,
        name: person.realName ?? '',
        phone: person.phone ? maskPhone(person.phone) : '',
        idNumber: person.idNumberEnc ? maskIdNumber(deps.cipher.decrypt(person.idNumberEnc)) : '',
        deleted,
        staff: Boolean(person.coordinator || person.consoleAccount),
        inScope: await mayActOnPerson(db, access, person.id),
        activeSignUps: deleted ? 0 : (await cancellable(person.id, now)).length,
      };
    },

    async delete(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      enrolmentId: string,
      request: DeletionRequest,
      now = new Date(),
    ): Promise<DeletionOutcome> {
      const found = await find(access, code, enrolmentId);
      if (!found) return { status: 'not_found' };
      const { person } = found;
      if (person.deletedAt) return { status: 'already_deleted' };
      if (person.coordinator || person.consoleAccount) {
        await deps.coordinators.audit(actorId, 'person.delete_refused', found.course.code, {
          personId: person.id,
          reason: 'staff',
        });
        return { status: 'refused' };
      }
      // Reachable through this course is not enough: the deletion reaches every course they signed up for.
      if (!(await mayActOnPerson(db, access, person.id))) {
        await recordReferral(db, deps.coordinators.audit, {
          actorId,
          course: found.course,
          personId: person.id,
          reason: 'delete',
          method: request.method,
        });
        return { status: 'referred' };
      }
      // As in chat: sign-ups end first (each freed seat promotes the next in line), then the data goes.
      const outcomes = await erasePerson(deps, person.id, now);
      const cancelled = outcomes.length;
      const promoted = outcomes.filter((o) => o.promoted).length;
      await deps.coordinators.audit(actorId, 'person.deleted', found.course.code, {
        personId: person.id,
        cancelled,
        promoted,
        requestedBy: 'self',
        method: request.method,
        recordedAt: now.toISOString(),
      });
      return { status: 'deleted', cancelled, promoted };
    },
  };
}

export type PersonDeletion = ReturnType<typeof createPersonDeletion>;
