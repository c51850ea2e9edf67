import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type {
  CodeCheckOutcome,
  LinkAccountPort,
  LinkReadiness,
} from '../core/dialog/flows/link-account/link-account-port';
import { asLocale } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { IdentityKey } from '../core/outreach-ports';
import { maskPhone } from '../core/people/mask';
import type { Db } from '../db/prisma-client';
import type { Outbox } from '../delivery/outbox';
import type { Logger } from '../logger';

/** How long a code lives, how many wrong tries, how long a lock lasts, how many codes an hour and a day. */
export interface LinkLimits {
  codeMinutes: number;
  maxTries: number;
  lockMinutes: number;
  /** Per chat and per phone. */
  codesPerHour: number;
  /** Per phone: new web sessions cannot get round it (the SMS daily cap for reminders is not touched). */
  codesPerDayPerPhone: number;
}

export const DEFAULT_LINK_LIMITS: LinkLimits = {
  codeMinutes: 10,
  maxTries: 5,
  lockMinutes: 60,
  codesPerHour: 3,
  codesPerDayPerPhone: 5,
};

export interface IdentityLinkDeps {
  db: Db;
  /** The requests connection: codes, tries, locks and rate counters (nothing here needs to outlive Redis). */
  redis: Redis;
  prefix: string;
  /** The code goes out as an ordinary proactive message on the SMS route. */
  outbox: Pick<Outbox, 'enqueue'>;
  /** Whether SMS is among the delivery routes (SMS_PROVIDER set and 'sms' in DELIVERY_FALLBACK). */
  sms: boolean;
  /** Keyed HMAC (the PII hash key): codes, phones and chat identities are stored only as such hashes. */
  hash: (value: string) => string;
  translator: Translator;
  logger: Logger;
  limits?: Partial<LinkLimits>;
}

/** What a code record holds: the code's hash, whom it links to ('' no one, 'staff' no automatic link). */
interface CodeRecord {
  code: string;
  target: string;
  masked: string;
}

/** The person's data of their own: a fresh chat has none of it and only its one identity. */
async function hasOwnData(db: Pick<Db, 'person'>, personId: string): Promise<boolean> {
  const p = await db.person.findUnique({
    where: { id: personId },
    select: {
      realName: true,
      phone: true,
      idNumberEnc: true,
      deletedAt: true,
      coordinator: { select: { id: true } },
      consoleAccount: { select: { id: true } },
      _count: {
        select: {
          identities: true,
          enrolments: true,
          familyMembers: true,
          familyProxies: true,
          certificates: true,
          followUps: true,
        },
      },
    },
  });
  if (!p || p.deletedAt) return true;
  const c = p._count;
  return Boolean(
    p.realName ||
      p.phone ||
      p.idNumberEnc ||
      p.coordinator ||
      p.consoleAccount ||
      c.identities > 1 ||
      c.enrolments ||
      c.familyMembers ||
      c.familyProxies ||
      c.certificates ||
      c.followUps,
  );
}

/**
 * Account linking by phone and SMS code (docs/personal-data.md, "Linking a chat to a sign-up"). A code is six
 * random digits, kept only as an HMAC bound to the asking chat, valid for `codeMinutes`, used once; wrong codes
 * lock the chat after `maxTries`; codes are rate-limited per chat and per phone. Whether a number is registered
 * is never said: the same answer either way, and an unknown number gets a code record that nothing matches.
 */
export function createIdentityLinkService(deps: IdentityLinkDeps): LinkAccountPort {
  const { db, redis, logger } = deps;
  const limits = { ...DEFAULT_LINK_LIMITS, ...deps.limits };
  const key = (...parts: string[]) => `${deps.prefix}:link:${parts.join(':')}`;
  const chatOf = (identity: IdentityKey) =>
    deps.hash(`jineng:link-chat:${identity.channel}:${identity.externalId}`);
  const codeHash = (chat: string, code: string) => deps.hash(`jineng:link-code:${chat}:${code}`);
  const sameHash = (a: string, b: string) =>
    a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  async function readiness(personId: string, identity: IdentityKey): Promise<LinkReadiness> {
    if (await hasOwnData(db, personId)) return 'has_data';
    if (!deps.sms) return 'no_sms';
    return (await redis.exists(key('lock', chatOf(identity)))) ? 'locked' : 'ready';
  }

  /** Counts one more in `k` (expiring `seconds` after its first); true when that is more than `max`. */
  async function over(k: string, seconds: number, max: number): Promise<boolean> {
    const n = await redis.incr(k);
    if (n === 1) await redis.expire(k, seconds);
    return n > max;
  }

  /**
   * Counts one more code for the chat and for the phone; true when either is over the hour's limit, or the
   * phone over the day's (a rolling day from its first code; only codes the hour allowed count in it).
   */
  async function overLimit(chat: string, phoneKey: string): Promise<boolean> {
    const hourly = await Promise.all([
      over(key('rate', 'chat', chat), 3_600, limits.codesPerHour),
      over(key('rate', 'phone', phoneKey), 3_600, limits.codesPerHour),
    ]);
    if (hourly.some(Boolean)) return true;
    return over(key('rate-day', 'phone', phoneKey), 86_400, limits.codesPerDayPerPhone);
  }

  /** The people registered with this number (not the asker, not erased): compared normalised. */
  async function registered(phone: string, self: string) {
    return db.$queryRaw<{ id: string; locale: string; staff: boolean }[]>`
      SELECT p.id, p.locale, (c.id IS NOT NULL) AS staff
      FROM people p LEFT JOIN coordinators c ON c.person_id = p.id
      WHERE p.deleted_at IS NULL AND p.id <> ${self}::uuid AND p.phone IS NOT NULL
        AND (p.phone = ${phone} OR right(regexp_replace(p.phone, '[^0-9]', '', 'g'), 11) = ${phone})
      ORDER BY p.created_at
      LIMIT 5`;
  }

  /**
   * Moves the chat's identity to `target` and removes the fresh person it leaves behind (nothing of theirs is
   * lost: such a person has no data; an opt-out and a staff-inbox conversation made from this chat move along).
   */
  async function join(personId: string, identity: IdentityKey, target: string): Promise<boolean> {
    return db.$transaction(async (tx) => {
      if (await hasOwnData(tx, personId)) return false;
      const alive = await tx.person.count({ where: { id: target, deletedAt: null } });
      if (!alive) return false;
      const moved = await tx.channelIdentity.updateMany({
        where: { channel: identity.channel, externalId: identity.externalId, personId },
        data: { personId: target },
      });
      if (moved.count !== 1) return false;
      await tx.$executeRaw`
        INSERT INTO contact_preferences (person_id, channel, opt_out, updated_at)
        SELECT ${target}::uuid, channel, opt_out, now() FROM contact_preferences WHERE person_id = ${personId}::uuid
        ON CONFLICT DO NOTHING`;
      await tx.$executeRaw`UPDATE inbox_items SET person_id = ${target}::uuid WHERE person_id = ${personId}::uuid`;
      await tx.person.delete({ where: { id: personId } });
      return true;
    });
  }

  return {
    codeMinutes: limits.codeMinutes,
    lockMinutes: limits.lockMinutes,
    readiness,

    async requestCode({ personId, identity, phone }) {
      if (!deps.sms) return { status: 'no_sms' };
      const chat = chatOf(identity);
      const masked = maskPhone(phone);
      if (await redis.exists(key('lock', chat))) return { status: 'locked' };
      if (await hasOwnData(db, personId)) return { status: 'has_data' };
      if (await overLimit(chat, deps.hash(`jineng:link-phone:${phone}`))) {
        logger.info({ channel: identity.channel, phone: masked }, 'account linking: code rate limit reached');
        return { status: 'rate_limited' };
      }
      const found = await registered(phone, personId);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const first = found[0];
      // An unknown number gets a record too (its code is sent nowhere), so what follows looks the same.
      const target = !first ? '' : found.length > 1 || first.staff ? 'staff' : first.id;
      const record: CodeRecord = { code: codeHash(chat, code), target, masked };
      await redis
        .multi()
        .del(key('code', chat))
        .hset(key('code', chat), { ...record, tries: 0 })
        .expire(key('code', chat), limits.codeMinutes * 60)
        .exec();
      if (first) {
        const t = deps.translator.forLocale(asLocale(first.locale));
        const text = t('link-account:sms', { code, minutes: limits.codeMinutes });
        // By SMS only (it proves the phone: no other route may carry it), and never after the code has expired
        // (an SMS held back by the provider's limits would otherwise arrive useless, or confusing, hours later).
        await deps.outbox.enqueue([
          {
            key: `link-code:${chat.slice(0, 16)}:${Date.now()}`,
            kind: 'link_code',
            personId: first.id,
            address: { channel: 'sms', chatId: first.id },
            message: {
              text,
              notice: { kind: 'link_code', params: { code } },
              routeOnly: true,
              // Real time, as the code's own expiry in Redis.
              notAfter: new Date(Date.now() + limits.codeMinutes * 60_000).toISOString(),
            },
          },
        ]);
      }
      logger.info(
        { channel: identity.channel, phone: masked, registered: found.length },
        'account linking: code requested',
      );
      return { status: 'sent', maskedPhone: masked };
    },

    async justLinkedWith(identity, code) {
      const chat = chatOf(identity);
      const used = await redis.get(key('used', chat));
      return Boolean(used && sameHash(used, codeHash(chat, code)));
    },

    async checkCode({ personId, identity, code }): Promise<CodeCheckOutcome> {
      const chat = chatOf(identity);
      if (await redis.exists(key('lock', chat))) return { status: 'locked' };
      const k = key('code', chat);
      const stored = (await redis.hgetall(k)) as Partial<CodeRecord>;
      if (!stored.code) return { status: 'expired' };
      if (!sameHash(stored.code, codeHash(chat, code))) {
        const tries = await redis.hincrby(k, 'tries', 1);
        if (tries < limits.maxTries) return { status: 'wrong', triesLeft: limits.maxTries - tries };
        await redis
          .multi()
          .del(k)
          .set(key('lock', chat), '1', 'EX', limits.lockMinutes * 60)
          .exec();
        logger.warn(
          { channel: identity.channel, phone: stored.masked, tries },
          'account linking locked: too many wrong codes',
        );
        return { status: 'locked' };
      }
      // Used once: whoever deletes the record first has it.
      if (!(await redis.del(k))) return { status: 'expired' };
      if (!stored.target) return { status: 'expired' };
      if (stored.target === 'staff') return { status: 'staff' };
      if (!(await join(personId, identity, stored.target))) return { status: 'staff' };
      // The code's hash is kept as long as the code would have lived, so the same code sent again is answered.
      await redis.set(key('used', chat), stored.code, 'EX', limits.codeMinutes * 60);
      logger.info(
        { channel: identity.channel, phone: stored.masked, from: personId, to: stored.target },
        'account linking: chat joined to the record of a verified phone',
      );
      return { status: 'linked', personId: stored.target };
    },
  };
}
