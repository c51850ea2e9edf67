import { z } from 'zod';
import type { Locale } from '../core/domain';
import type { CoordinatorAccess } from '../core/outreach.ports';
import { validateIdNumber } from '../core/people/id-number';
import { normalizeMobile } from '../core/people/phone';
import type { PiiCipher } from '../core/people/pii-crypto';
import type { EnrolmentRepository, EnrolOutcome, PeopleRepository } from '../core/ports';
import type { Db } from '../db/prisma-client';
import type { CoordinatorService } from './coordinator.service';

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
  | { status: 'enrolled'; outcome: EnrolOutcome }
  | { status: 'not_found' }
  | { status: 'invalid'; field: 'phone' | 'idNumber'; key: string }
  | { status: 'id_required' }
  | { status: 'id_taken' }
  /** The ID number is registered under another name: nothing about that person is shown or changed. */
  | { status: 'id_mismatch' };

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
 * repository as a sign-up in chat. The consent and the sign-up are written to the audit log.
 */
export function createOnBehalfEnrolment(deps: OnBehalfDeps) {
  const { db } = deps;

  /**
   * The same person by ID number, else by phone and name together (a family often shares one phone), else a
   * new person. A person found by phone who already has another ID number is not this one.
   */
  async function findOrCreate(
    input: OnBehalfInput,
    phone: string,
    idNumber: string | undefined,
    locale: Locale,
    now: Date,
  ): Promise<string | undefined> {
    const byId = idNumber
      ? await db.person.findUnique({ where: { idNumberHash: deps.cipher.hash(idNumber) } })
      : null;
    // An ID number alone must not open someone's record (their name and phone on the roster) or sign them
    // up: the name typed must be the one registered with it.
    if (byId?.realName && !sameName(byId.realName, input.realName)) return undefined;
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
    const person = found ?? (await db.person.create({ data: { locale } }));
    await db.person.update({
      where: { id: person.id },
      data: {
        realName: person.realName ?? input.realName,
        phone: person.phone ?? phone,
        consentProfileAt: person.consentProfileAt ?? now,
      },
    });
    return person.id;
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
      const personId = await findOrCreate(input, phone.value, idNumber, locale, now);
      if (!personId) {
        await deps.coordinators.audit(actorId, 'enrolment.on_behalf_refused', course.code, {
          reason: 'id_name_mismatch',
        });
        return { status: 'id_mismatch' };
      }
      if (idNumber && (await deps.people.setIdNumber(personId, idNumber, now)) === 'taken')
        return { status: 'id_taken' };
      const outcome = await deps.enrolments.enrol(personId, course.code, 'coordinator');
      await deps.coordinators.audit(actorId, 'enrolment.on_behalf', course.code, {
        personId,
        outcome: outcome.status,
        consent: { ...input.consent, recordedAt: now.toISOString() },
      });
      return { status: 'enrolled', outcome };
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
