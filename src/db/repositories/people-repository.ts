import type pg from 'pg';
import { asLocale, type County, type Group, type Trade } from '../../core/domain';
import { maskIdNumber } from '../../core/people/mask';
import type { PiiCipher } from '../../core/people/pii-crypto';
import type { PeopleRepository, PersonRecord, ProfilePatch } from '../../core/ports';
import type { Db } from '../prisma-client';
import { deletePersonData } from './person-erasure';
import { sqlRunner } from './sql-runner';

/** The audit action of an ID number typed in chat that is already registered to another person. */
export const ID_CLASH_ACTION = 'person.id_clash';

/** The masked ID number and the birth date it holds (age limits), from the decrypted number. */
export function idFacts(idNumber: string | undefined): { maskedIdNumber?: string; birthDate?: string } {
  if (!idNumber) return {};
  const d = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(idNumber);
  return { maskedIdNumber: maskIdNumber(idNumber), birthDate: d ? `${d[1]}-${d[2]}-${d[3]}` : undefined };
}

/** The columns of a person that a turn needs. */
const PERSON_COLUMNS = `p.id, p.locale, p.real_name AS "realName", p.phone, p.county, p.birth_year AS "birthYear",
  p.groups, p.interests, p.id_number_enc AS "idNumberEnc", p.consent_id_at AS "consentIdAt",
  p.deleted_at AS "deletedAt"`;

interface PersonRow {
  id: string;
  locale: string;
  realName: string | null;
  phone: string | null;
  county: string | null;
  birthYear: number | null;
  groups: string[];
  interests: string[];
  idNumberEnc: string | null;
  consentIdAt: Date | null;
  deletedAt: Date | null;
}

/**
 * A returning person, by channel identity, in one round trip: the person's row, and the identity brought up
 * to date in the same statement when its chat moved, it was marked unreachable, or its last inbound time
 * (which opens reply windows, e.g. WeChat Official Accounts) is more than a minute old; a minute's precision
 * is plenty and saves a write on most turns. $1 channel, $2 external id, $3 chat id.
 */
const RESOLVE_SQL = `
  WITH found AS (
    SELECT ci.id AS "identityId", ci.chat_id, ci.unreachable_at, ci.last_inbound_at, ${PERSON_COLUMNS}
    FROM channel_identities ci JOIN people p ON p.id = ci.person_id
    WHERE ci.channel = $1 AND ci.external_id = $2
  ), touched AS (
    UPDATE channel_identities c SET chat_id = $3, unreachable_at = NULL, last_inbound_at = now()
    FROM found f
    WHERE c.id = f."identityId" AND f."deletedAt" IS NULL
      AND (f.chat_id <> $3 OR f.unreachable_at IS NOT NULL OR f.last_inbound_at IS NULL
        OR f.last_inbound_at < now() - interval '1 minute')
  )
  SELECT * FROM found`;

/**
 * A profile change in one fixed statement (so it is prepared once): each column is set only when its flag
 * says the patch has it. The profile consent is recorded the first time and kept after that.
 */
const UPDATE_PROFILE_SQL = `
  UPDATE people p SET
    county = CASE WHEN $2::bool THEN $3::text ELSE p.county END,
    birth_year = CASE WHEN $4::bool THEN $5::int ELSE p.birth_year END,
    groups = CASE WHEN $6::bool THEN $7::text[] ELSE p.groups END,
    interests = CASE WHEN $8::bool THEN $9::text[] ELSE p.interests END,
    real_name = CASE WHEN $10::bool THEN $11::text ELSE p.real_name END,
    phone = CASE WHEN $12::bool THEN $13::text ELSE p.phone END,
    locale = CASE WHEN $14::bool THEN $15::text ELSE p.locale END,
    consent_profile_at = COALESCE(p.consent_profile_at, $16::timestamptz),
    updated_at = now()
  WHERE p.id = $1::uuid
  RETURNING ${PERSON_COLUMNS}`;

const STATEMENT_NAMES = new Map([
  [RESOLVE_SQL, 'jineng_person_resolve'],
  [UPDATE_PROFILE_SQL, 'jineng_person_update'],
]);

/**
 * People and their channel identities in PostgreSQL; the ID number only ever stored encrypted. `pool` (the
 * runtime's `pg` pool) carries the statements of every turn when given.
 */
export function createPeopleRepository(db: Db, cipher: PiiCipher, pool?: pg.Pool): PeopleRepository {
  const sql = sqlRunner(db, pool, STATEMENT_NAMES);
  const toRecord = (p: PersonRow, isNew = false): PersonRecord => ({
    id: p.id,
    locale: asLocale(p.locale),
    realName: p.realName ?? undefined,
    phone: p.phone ?? undefined,
    county: (p.county as County | null) ?? undefined,
    birthYear: p.birthYear ?? undefined,
    groups: p.groups as Group[],
    interests: p.interests as Trade[],
    hasIdNumber: Boolean(p.idNumberEnc),
    ...idFacts(p.idNumberEnc ? cipher.decrypt(p.idNumberEnc) : undefined),
    consentIdAt: p.consentIdAt ?? undefined,
    deleted: Boolean(p.deletedAt),
    isNew,
  });

  return {
    async resolve(identity, locale) {
      const [found] = await sql.query<PersonRow & { identityId: string }>(RESOLVE_SQL, [
        identity.channel,
        identity.externalId,
        identity.chatId,
      ]);
      if (found && !found.deletedAt) return toRecord(found);
      // First contact, or the person deleted their data earlier: start a fresh person for this identity.
      const createFor = (staleIdentityId: string | undefined) =>
        db.$transaction(async (tx) => {
          if (staleIdentityId) await tx.channelIdentity.delete({ where: { id: staleIdentityId } });
          return tx.person.create({
            data: {
              locale,
              identities: {
                create: {
                  channel: identity.channel,
                  externalId: identity.externalId,
                  chatId: identity.chatId,
                  displayName: identity.displayName,
                  lastInboundAt: new Date(),
                },
              },
            },
          });
        });
      const person = await createFor(found?.identityId).catch(async (error: unknown) => {
        // Two first messages at once: the other one created the person; this one finds it.
        if ((error as { code?: string }).code !== 'P2002') throw error;
        const [again] = await sql.query<PersonRow & { identityId: string }>(RESOLVE_SQL, [
          identity.channel,
          identity.externalId,
          identity.chatId,
        ]);
        if (!again || again.deletedAt) throw error;
        return { ...again, isNew: false as const };
      });
      return 'isNew' in person ? toRecord(person) : toRecord(person, true);
    },

    async updateProfile(personId, patch: ProfilePatch) {
      const has = (field: keyof ProfilePatch) => patch[field] !== undefined;
      const [person] = await sql.query<PersonRow>(UPDATE_PROFILE_SQL, [
        personId,
        has('county'),
        patch.county ?? null,
        has('birthYear'),
        patch.birthYear ?? null,
        has('groups'),
        patch.groups ?? [],
        has('interests'),
        patch.interests ?? [],
        has('realName'),
        patch.realName ?? null,
        has('phone'),
        patch.phone ?? null,
        has('locale'),
        patch.locale ?? null,
        patch.profileConsentAt ?? null,
      ]);
      if (!person) throw new Error(`no person ${personId} to update`);
      return toRecord(person);
    },

    async setIdNumber(personId, idNumber, consentAt) {
      const hash = cipher.hash(idNumber);
      const holder = await db.person.findUnique({ where: { idNumberHash: hash }, select: { id: true } });
      if (holder && holder.id !== personId) return 'taken';
      await db.person.update({
        where: { id: personId },
        data: { idNumberEnc: cipher.encrypt(idNumber), idNumberHash: hash, consentIdAt: consentAt },
      });
      return 'ok';
    },

    async claimIdNumber(personId, idNumber, consentAt, courseCode) {
      const hash = cipher.hash(idNumber);
      let claimed: 'ok' | 'clash' = 'ok';
      const claim = () =>
        db.$transaction(async (tx) => {
          claimed = 'ok';
          const holder = await tx.person.findUnique({ where: { idNumberHash: hash }, select: { id: true } });
          const clash = holder !== null && holder.id !== personId;
          // On a clash the number is kept (encrypted) for staff to check, but without the hash, which stays
          // with the person who registered it first: nothing of theirs is read, shown or changed.
          await tx.person.update({
            where: { id: personId },
            data: {
              idNumberEnc: cipher.encrypt(idNumber),
              idNumberHash: clash ? null : hash,
              consentIdAt: consentAt,
            },
          });
          if (clash) {
            // Staff who may see this person are asked to sort it out (the console's follow-ups page).
            claimed = 'clash';
            const course = await tx.course.findUnique({ where: { code: courseCode }, select: { id: true } });
            await tx.followUp.create({ data: { kind: 'id_clash', personId, courseId: course?.id ?? null } });
            await tx.auditLog.create({
              data: {
                actorId: personId,
                action: ID_CLASH_ACTION,
                target: courseCode,
                detail: { personId, registeredTo: holder.id },
              },
            });
          }
        });
      // Two people typing the same new number at once: the second to commit finds it taken, and goes again
      // as a clash rather than failing with an answer the first would not get.
      await claim().catch((error: unknown) => {
        if ((error as { code?: string }).code !== 'P2002') throw error;
        return claim();
      });
      return claimed;
    },

    deleteData: (personId) => deletePersonData(db, cipher, personId),
  };
}
