import type { PiiCipher } from '../../core/people/pii-crypto';
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../prisma-client';
import { runScrub, type ScrubPace, type ScrubTarget, tracesOf } from './erase-traces';

/** The wipe touches only the person's own rows and notices about them; the text scrub runs after it, in batches. */
const ERASURE_TRANSACTION = { maxWait: 15_000, timeout: 15_000 };

/**
 * PIPL erasure of one person's data (their sign-ups have already ended). What stays is the tombstone: the
 * person row with its id, locale and dates only, so enrolment and attendance counts stay honest and the
 * audit entries about them still point at something; see docs/personal-data.md.
 */
export async function deletePersonData(
  db: Db,
  cipher: PiiCipher,
  personId: string,
  pace?: ScrubPace & { wipeOnly?: boolean },
): Promise<void> {
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
  const scrub: ScrubTarget = {
    traces: tracesOf({
      realName: person.realName,
      phone: person.phone,
      idNumber: person.idNumberEnc ? cipher.decrypt(person.idNumberEnc) : undefined,
    }),
    username: person.consoleAccount?.username,
  };
  const webLogins = person.identities.filter((i) => i.channel === 'web').map((i) => i.chatId);
  // Notices to coordinators that this person will miss a class: keyed absence:<enrolment>:<class session>:<to>.
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
        // Their contact preference (docs/notices-and-preferences.md): a choice of theirs, gone with them.
        preferredRoute: null,
        deletedAt: new Date(),
      },
    });
    // The Service Account's consents and sent notices are kept by openid (src/channels/wechat-oa).
    const openIds = person.identities.filter((i) => i.channel === 'wechat-oa').map((i) => i.chatId);
    await tx.wechatOaConsent.deleteMany({ where: { openId: { in: openIds } } });
    await tx.wechatOaSend.deleteMany({ where: { openId: { in: openIds } } });
    await tx.channelIdentity.deleteMany({ where: { personId } });
    await tx.followUp.deleteMany({ where: { personId } });
    // Their leave requests: the reason is free text they typed (docs/my-details.md).
    await tx.leaveRequest.deleteMany({ where: { enrolmentId: { in: person.enrolments.map((e) => e.id) } } });
    // Their check-ins, survey answers, employment answers and certificates leave the reports' raw data
    // (docs/reports.md); a subsidy claim keeps its status and amount (money paid out), not the staff's notes.
    const enrolmentIds = person.enrolments.map((e) => e.id);
    await tx.attendance.deleteMany({ where: { enrolmentId: { in: enrolmentIds } } });
    await tx.satisfactionSurvey.deleteMany({ where: { enrolmentId: { in: enrolmentIds } } });
    await tx.employmentCheck.deleteMany({ where: { enrolmentId: { in: enrolmentIds } } });
    await tx.certificate.deleteMany({ where: { personId } });
    // Their contact preferences and notice confirmations (docs/notices-and-preferences.md).
    await tx.contactPreference.deleteMany({ where: { personId } });
    await tx.noticeAck.deleteMany({ where: { personId } });
    await tx.subsidyClaim.updateMany({
      where: { enrolmentId: { in: enrolmentIds } },
      data: { missingDocs: [] },
    });
    // Their staff-inbox items: transcripts of what they wrote, callback numbers (docs/staff-inbox.md).
    await tx.inboxItem.deleteMany({ where: { personId } });
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
    // Anything else that quotes them (a broadcast naming them, a web inbox copy, an audit entry's free text or
    // their console username) is scrubbed after the commit, in batches; this row, written with the wipe, makes
    // sure it is (the sweep resumes it). A row already there (erasure asked twice) holds the real traces.
    if (scrub.traces.length || scrub.username)
      await tx.erasureScrub.createMany({
        data: { personId, tracesEnc: cipher.encrypt(JSON.stringify(scrub)) },
        skipDuplicates: true,
      });
    // The web chat's login and its inbox (proactive messages kept for the next visit).
    await tx.webLogin.deleteMany({ where: { id: { in: webLogins } } });
    // A coordinator who deletes their data stops being one, in chat and in the console.
    await tx.consoleAccount.deleteMany({ where: { personId } });
    await tx.coordinator.deleteMany({ where: { personId } });
  }, ERASURE_TRANSACTION);
  // The person is erased once the wipe commits. A scrub that fails here (the database busy, say) is not the
  // person's error: its row stays, and the sweep goes on with it within minutes.
  if (!pace?.wipeOnly) await finishErasureScrub(db, cipher, personId, pace).catch(() => false);
}

/** Runs the person's pending text scrub to its end (or as far as `pace` allows); true when none is left. */
export async function finishErasureScrub(
  db: Db,
  cipher: PiiCipher,
  personId: string,
  pace?: ScrubPace,
): Promise<boolean> {
  const pending = await db.erasureScrub.findUnique({ where: { personId } });
  return pending ? runScrub(db, (t) => cipher.decrypt(t), pending, pace) : true;
}

/** A scrub whose row was not touched for this long belongs to a process that stopped: the sweep goes on with it. */
const STALE_SCRUB_MS = 60_000;

/**
 * The sweep's hook: finishes the scrubs that stopped processes left behind; returns how many. The cipher is
 * asked for only when there is one (loading development keys logs a warning).
 */
export async function resumeErasureScrubs(
  db: Db,
  cipher: () => PiiCipher,
  staleMs = STALE_SCRUB_MS,
): Promise<number> {
  const stale = await db.erasureScrub.findMany({
    where: { updatedAt: { lt: new Date(Date.now() - staleMs) } },
    orderBy: { createdAt: 'asc' },
  });
  let finished = 0;
  for (const pending of stale) if (await runScrub(db, (t) => cipher().decrypt(t), pending)) finished++;
  return finished;
}
