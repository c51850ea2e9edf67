import { asLocale, type County, type Group, type Trade } from '../../core/domain';
import { maskIdNumber } from '../../core/people/mask';
import type { PiiCipher } from '../../core/people/pii-crypto';
import type { PeopleRepository, PersonRecord, ProfilePatch } from '../../core/ports';
import { type Person, Prisma } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';

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

    async deleteData(personId) {
      const identities = await db.channelIdentity.findMany({
        where: { personId },
        select: { channel: true, chatId: true },
      });
      const webSessions = identities.filter((i) => i.channel === 'web').map((i) => i.chatId);
      await db.$transaction([
        db.person.update({
          where: { id: personId },
          data: {
            realName: null,
            idNumberEnc: null,
            idNumberHash: null,
            phone: null,
            county: null,
            birthYear: null,
            groups: [],
            interests: [],
            consentProfileAt: null,
            consentIdAt: null,
            deletedAt: new Date(),
          },
        }),
        db.channelIdentity.deleteMany({ where: { personId } }),
        // Messages waiting for them are not sent; what was sent keeps its outcome, not its text or chat.
        db.delivery.updateMany({
          where: { personId, status: { in: ['pending', 'sending'] } },
          data: { status: 'failed', error: 'deleted', claimedBy: null },
        }),
        db.delivery.updateMany({ where: { personId }, data: { message: Prisma.DbNull, chatId: '' } }),
        // The web chat's session and its inbox (proactive messages kept for the next visit).
        db.webSession.deleteMany({ where: { id: { in: webSessions } } }),
        // A coordinator who deletes their data stops being one, in chat and in the console.
        db.consoleAccount.deleteMany({ where: { personId } }),
        db.coordinator.deleteMany({ where: { personId } }),
      ]);
    },
  };
}
