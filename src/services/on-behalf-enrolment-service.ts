import { z } from 'zod';
import type { Locale } from '../core/domain';
import type { CoordinatorAccess } from '../core/outreach-ports';
import { validateIdNumber } from '../core/people/id-number';
import { normalizeMobile } from '../core/people/phone';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { EnrolmentRepository, EnrolOutcome, PeopleRepository } from '../core/ports';
import type { Db } from '../db/prisma-client';
import { mayActOnPerson, recordReferral } from './access-scope';
import type { CoordinatorService } from './coordinator-service';

/** Who agreed to the sign-up and to the use of their data, and how the coordinator heard it. */
export const consentSchema = z.object({
  confirmed: z.literal(true, 'consent'),
  givenBy: z.enum(['self', 'family'], 'choice'),
  relation: z.string().trim().max(40, 'too_long').optional(),
  method: z.enum(['in_person', 'phone', 'written'], 'choice'),
});

export const onBehalfSchema = z.object({
  realName: z.string({ error: 'required' }).trim().min(1, 'required').max(40, 'too_long'),
  phone: z.string({ error: 'required' }).trim().min(1, 'required'),
  idNumber: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined),
  consent: consentSchema,
});
export type OnBehalfInput = z.infer<typeof onBehalfSchema>;

export type OnBehalfOutcome =
  /** existing: the person was already registered; their stored name and phone were kept as they were. */
  | { status: 'enrolled'; outcome: EnrolOutcome; existing: boolean }
  | { status: 'not_found' }
  | { status: 'invalid'; field: 'phone' | 'idNumber'; key: string }
  | { status: 'id_required' }
  | { status: 'id_taken' }
  /** The ID number is registered under another name: nothing about that person is shown or changed. */
  | { status: 'id_mismatch' }
  /** The person is registered outside the coordinator's scope: not signed up, handed to staff who see them. */
  | { status: 'referred' };

type Match =
  | { status: 'new' }
  | { status: 'existing'; personId: string; idKnown: boolean }
  | { status: 'outside'; personId: string; nameMatches: boolean }
  | { status: 'mismatch' };

export interface OnBehalfDeps {
  db: Db;
  cipher: PiiCipher;
  people: PeopleRepository;
  /** The enrolment repository the dialog uses (seats, waitlist, reminders): the same rules hold. */
  enrolments: EnrolmentRepository;
  coordinators: CoordinatorService;
}

/**
 * A coordinator signs a worker up who asked them (or whose family asked) to: the person is found by ID number
 * or phone, or recorded anew, with the consent the coordinator confirmed; the seat is taken through the same
 * repository as a sign-up in chat. The consent and the sign-up are written to the audit log. A person already
 * registered outside the coordinator's scope is not signed up: the request is referred to staff instead.
 */
export function createOnBehalfEnrolment(deps: OnBehalfDeps) {
  const { db } = deps;

  /**
   * The same person by ID number, else by phone and name together (a family often shares one phone), else a
   * new person. A person found by phone who already has another ID number is not this one. What the
   * coordinator typed is stored only for a new person: an existing person's name and phone stay as they are.
   */
  async function match(
    access: CoordinatorAccess,
    input: OnBehalfInput,
    phone: string,
    idNumber: string | undefined,
  ): Promise<Match> {
    const byId = idNumber
      ? await db.person.findUnique({ where: { idNumberHash: deps.cipher.hash(idNumber) } })
      : null;
    const found =
      byId ??
      (await db.person.findFirst({
        where: {
          phone,
          realName: input.realName,
          deletedAt: null,
          ...(idNumber ? { idNumberHash: null } : {}),
        },
        orderBy: { createdAt: 'asc' },
      }));
    if (!found) return { status: 'new' };
    // Someone registered outside the coordinator's scope: not signed up here, whatever the name says.
    if (!(await mayActOnPerson(db, access, found.id)))
      return {
        status: 'outside',
        personId: found.id,
        nameMatches: sameName(found.realName ?? '', input.realName),
      };
    // An ID number alone must not open someone's record or sign them up: the name typed must be theirs.
    if (byId?.realName && !sameName(byId.realName, input.realName)) return { status: 'mismatch' };
    return { status: 'existing', personId: found.id, idKnown: byId !== null };
  }

  async function personFor(
    m: Extract<Match, { status: 'new' | 'existing' }>,
    input: OnBehalfInput,
    phone: string,
    locale: Locale,
    now: Date,
  ): Promise<string> {
    if (m.status === 'new') {
      const created = await db.person.create({
        data: { locale, realName: input.realName, phone, consentProfileAt: now },
      });
      return created.id;
    }
    await db.person.updateMany({
      where: { id: m.personId, consentProfileAt: null },
      data: { consentProfileAt: now },
    });
    return m.personId;
  }

  return {
    async enrol(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      input: OnBehalfInput,
      locale: Locale,
      now = new Date(),
    ): Promise<OnBehalfOutcome> {
      const course = await db.course.findFirst({
        where: { AND: [deps.coordinators.inScope(access), { code: code.toUpperCase() }] },
      });
      if (!course) return { status: 'not_found' };
      const phone = normalizeMobile(input.phone);
      if (!phone.ok) return { status: 'invalid', field: 'phone', key: phone.reason };
      let idNumber: string | undefined;
      if (input.idNumber) {
        const id = validateIdNumber(input.idNumber, now);
        if (!id.ok) return { status: 'invalid', field: 'idNumber', key: id.reason };
        idNumber = id.value;
      } else if (course.realNameRequired) {
        return { status: 'id_required' };
      }
      const m = await match(access, input, phone.value, idNumber);
      if (m.status === 'outside') {
        await recordReferral(db, deps.coordinators.audit, {
          actorId,
          course,
          personId: m.personId,
          reason: 'enrol',
          nameMatches: m.nameMatches,
        });
        return { status: 'referred' };
      }
      if (m.status === 'mismatch') {
        await deps.coordinators.audit(actorId, 'enrolment.on_behalf_refused', course.code, {
          reason: 'id_name_mismatch',
        });
        return { status: 'id_mismatch' };
      }
      const personId = await personFor(m, input, phone.value, locale, now);
      const idNew = m.status === 'new' || !m.idKnown;
      if (idNumber && idNew && (await deps.people.setIdNumber(personId, idNumber, now)) === 'taken')
        return { status: 'id_taken' };
      const outcome = await deps.enrolments.enrol(personId, course.code, 'coordinator');
      await deps.coordinators.audit(actorId, 'enrolment.on_behalf', course.code, {
        personId,
        outcome: outcome.status,
        consent: { ...input.consent, recordedAt: now.toISOString() },
      });
      return { status: 'enrolled', outcome, existing: m.status === 'existing' };
    },
  };
}

export type OnBehalfEnrolment = ReturnType<typeof createOnBehalfEnrolment>;

/** Names compared as people write them: width, spaces and the middle dot of minority names ignored. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFKC')
      .replace(/[\s·•・.]/g, '')
      .toLowerCase();
  return norm(a) === norm(b);
}
