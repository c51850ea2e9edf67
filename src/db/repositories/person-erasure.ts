import type { PiiCipher } from '../../core/people/pii-crypto';
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';
import { ERASED_MARK, scrubTraces, tracesOf } from './erase-traces';

const ERASURE_TRANSACTION = { maxWait: 15_000, timeout: 120_000 };

/**
 * PIPL erasure of one person's data (their sign-ups have already ended). What stays is the tombstone: the
 * person row with its id, locale and dates only, so enrolment and attendance counts stay honest and the
 * audit entries about them still point at something; see docs/personal-data.md.
 */
export async function deletePersonData(db: Db, cipher: PiiCipher, personId: string): Promise<void> {
  const person = await db.person.findUnique({
    where: { id: personId },
    select: {
      realName: true,
      phone: true,
      idNumberEnc: true,
      identities: { select: { channel: true, chatId: true } },
      enrolments: { select: { id: true } },
      consoleAccount: { select: { username: true } },
    },
  });
  if (!person) return;
  const traces = tracesOf({
    realName: person.realName,
    phone: person.phone,
    idNumber: person.idNumberEnc ? cipher.decrypt(person.idNumberEnc) : undefined,
  });
  const webSessions = person.identities.filter((i) => i.channel === 'web').map((i) => i.chatId);
  // Notices to coordinators that this person will miss a class: keyed absence:<enrolment>:<session>:<to>.
  const aboutThem = person.enrolments.map((e) => ({ key: { startsWith: `absence:${e.id}:` } }));

  await db.$transaction(async (tx) => {
    await tx.person.update({
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
    });
    await tx.channelIdentity.deleteMany({ where: { personId } });
    await tx.followUp.deleteMany({ where: { personId } });
    // Messages waiting for them are not sent; what was sent keeps its outcome, not its text or chat.
    await tx.delivery.updateMany({
      where: { personId, status: { in: ['pending', 'sending'] } },
      data: { status: 'failed', error: 'deleted', claimedBy: null },
    });
    await tx.delivery.updateMany({ where: { personId }, data: { message: Prisma.DbNull, chatId: '' } });
    // Notices about them to coordinators: not sent any more, and their text (which names them) goes.
    if (aboutThem.length) {
      await tx.delivery.updateMany({
        where: { OR: aboutThem, status: { in: ['pending', 'sending'] } },
        data: { status: 'failed', error: 'deleted', claimedBy: null },
      });
      await tx.delivery.updateMany({ where: { OR: aboutThem }, data: { message: Prisma.DbNull } });
    }
    // Anything else that quotes them: a broadcast naming them, a web inbox copy, an audit entry's free text.
    await scrubTraces(tx, traces);
    // Console sign-ins are audited under the username, which may be their name: the entries stay, it goes.
    const username = person.consoleAccount?.username;
    if (username) {
      await tx.auditLog.updateMany({
        where: { target: { in: [username, username.slice(0, 32)] } },
        data: { target: ERASED_MARK },
      });
    }
    // The web chat's session and its inbox (proactive messages kept for the next visit).
    await tx.webSession.deleteMany({ where: { id: { in: webSessions } } });
    // A coordinator who deletes their data stops being one, in chat and in the console.
    await tx.consoleAccount.deleteMany({ where: { personId } });
    await tx.coordinator.deleteMany({ where: { personId } });
    // The text scrub reads whole tables (deliveries, audit log): more than the default 5 s on a big database.
  }, ERASURE_TRANSACTION);
}
