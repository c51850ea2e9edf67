import { asLocale, type County, type Group, type Trade } from '../../core/domain';
import { maskIdNumber } from '../../core/people/mask';
import type { PiiCipher } from '../../core/people/pii-crypto';
import type { PeopleRepository, PersonRecord, ProfilePatch } from '../../core/ports';
import type { Person } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';
import { deletePersonData } from './person-erasure';

/** The audit action of an ID number typed in chat that is already registered to another person. */
export const ID_CLASH_ACTION = 'person.id_clash';

/** People and their channel identities in PostgreSQL; the ID number only ever stored encrypted. */
export function createPeopleRepository(db: Db, cipher: PiiCipher): PeopleRepository {
  const toRecord = (p: Person, isNew = false): PersonRecord => ({
    id: p.id,
    locale: asLocale(p.locale),
    realName: p.realName ?? undefined,
    phone: p.phone ?? undefined,
    county: (p.county as County | null) ?? undefined,
    birthYear: p.birthYear ?? undefined,
    groups: p.groups as Group[],
    interests: p.interests as Trade[],
    hasIdNumber: Boolean(p.idNumberEnc),
    maskedIdNumber: p.idNumberEnc ? maskIdNumber(cipher.decrypt(p.idNumberEnc)) : undefined,
    consentIdAt: p.consentIdAt ?? undefined,
    deleted: Boolean(p.deletedAt),
    isNew,
  });

  return {
    async resolve(identity, locale) {
      const found = await db.channelIdentity.findUnique({
        where: { channel_externalId: { channel: identity.channel, externalId: identity.externalId } },
        include: { person: true },
      });
      if (found && !found.person.deletedAt) {
        // lastInboundAt opens reply windows (WeChat Official Accounts); a minute's precision is plenty and
        // saves a write on most turns.
        const stale = !found.lastInboundAt || Date.now() - found.lastInboundAt.getTime() > 60_000;
        if (found.chatId !== identity.chatId || found.unreachableAt || stale) {
          await db.channelIdentity.update({
            where: { id: found.id },
            data: { chatId: identity.chatId, unreachableAt: null, lastInboundAt: new Date() },
          });
        }
        return toRecord(found.person);
      }
      // First contact, or the person deleted their data earlier: start a fresh person for this identity.
      const person = await db.$transaction(async (tx) => {
        if (found) await tx.channelIdentity.delete({ where: { id: found.id } });
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
      return toRecord(person, true);
    },

    async updateProfile(personId, patch: ProfilePatch) {
      const { profileConsentAt, ...data } = patch;
      const person = await db.person.update({ where: { id: personId }, data });
      if (profileConsentAt && !person.consentProfileAt) {
        await db.person.updateMany({
          where: { id: personId, consentProfileAt: null },
          data: { consentProfileAt: profileConsentAt },
        });
      }
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
      const claim = () =>
        db.$transaction(async (tx) => {
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
    },

    deleteData: (personId) => deletePersonData(db, cipher, personId),
  };
}
