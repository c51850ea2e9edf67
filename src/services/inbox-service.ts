import { createHash } from 'node:crypto';
import { OA_WINDOW_HOURS } from '../channels/wechat/wechat-window';
import type { Config } from '../config';
import { chatSessionKey } from '../core/dialog/chat-session';
import { type Locale, localeFromHint } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { InboxKind, InboxStatus, TranscriptLine } from '../core/inbox/inbox-item';
import { maskPersonalText, storableText } from '../core/inbox/mask-text';
import type { ChannelName } from '../core/message';
import type { CoordinatorAccess } from '../core/outreach-ports';
import { maskPhone } from '../core/people/mask';
import type { InboxRepository, InboxRow, ScopeFilter } from '../db/repositories/inbox-repository';
import type { Outbox } from '../delivery/outbox';
import type { InboxChange } from './inbox-events';

export interface InboxSummary {
  id: string;
  kind: InboxKind;
  status: InboxStatus;
  channel: string;
  /** The channel user id (the conversation to reply to). */
  user: string;
  county: string | null;
  /** The last thing the person wrote (masked). */
  text: string;
  trackingNo: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  claimedBy: string | null;
  waitingSeconds: number;
}

export interface InboxDetail extends InboxSummary {
  transcript: TranscriptLine[];
  outcome: string | null;
  rating: number | null;
  closedAt: Date | null;
  callback: { phone: string; time: string } | null;
  enrolments: { courseCode: string; title: string; county: string; status: string }[];
}

export type ReplyRefusal =
  | 'not_found'
  | 'closed'
  | 'channel_cannot_send'
  | 'unreachable'
  | 'outside_window'
  | 'empty';

export type ReplyOutcome =
  | { status: 'queued'; key: string }
  | { status: 'refused'; reason: ReplyRefusal; message: string };

export interface InboxServiceDeps {
  repo: InboxRepository;
  outbox: Pick<Outbox, 'enqueue'>;
  /** The channels this deployment can write to unprompted (delivery.channels). */
  channels: readonly ChannelName[];
  /** Hours after the person's last message within which a channel may write to them (WeChat OA: 48). */
  replyWindowHours(channel: string): number | undefined;
  translator: Translator;
  publish(change: InboxChange): void;
  clock?: () => Date;
}

/** The reply window of each channel as configured: a WeChat Official Account may write 48 h after the person. */
export function inboxReplyWindow(
  config: Pick<Config, 'WECHAT_ACCOUNT_KIND'>,
): (channel: string) => number | undefined {
  return (channel) =>
    channel === 'wechat' && config.WECHAT_ACCOUNT_KIND === 'official' ? OA_WINDOW_HOURS : undefined;
}

const scopeOf = (access: CoordinatorAccess): ScopeFilter | undefined =>
  access.role === 'admin' ? undefined : { counties: access.counties, courseCodes: access.courseCodes };

const MAX_REPLY = 2_000;

/** The staff side of the inbox: what the console and `jineng inbox` do (see docs/staff-inbox.md). */
export function createInboxService(deps: InboxServiceDeps) {
  const { repo } = deps;
  const clock = deps.clock ?? (() => new Date());

  const summary = (row: InboxRow, now: Date): InboxSummary => ({
    id: row.id,
    kind: row.kind,
    status: row.status,
    channel: row.channel,
    user: row.channelUser,
    county: row.county,
    text: row.lastText,
    trackingNo: row.trackingNo,
    createdAt: row.createdAt,
    claimedAt: row.claimedAt,
    claimedBy: row.claimedBy,
    waitingSeconds: Math.max(0, Math.round((now.getTime() - row.createdAt.getTime()) / 1000)),
  });

  /** The item, when it exists and lies in the account's scope. */
  async function visible(access: CoordinatorAccess, id: string): Promise<InboxRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const row = await repo.get(id);
    if (!row) return undefined;
    const scope = scopeOf(access);
    return !scope || (await repo.inScope(id, scope)) ? row : undefined;
  }

  /** Whether a message can reach the person now, and if not, why (for the operator, in plain words). */
  async function reachability(row: InboxRow, now: Date): Promise<ReplyOutcome | undefined> {
    const refuse = (reason: ReplyRefusal, message: string): ReplyOutcome => ({
      status: 'refused',
      reason,
      message,
    });
    if (!deps.channels.includes(row.channel))
      return refuse(
        'channel_cannot_send',
        `the ${row.channel} channel cannot carry a message later; ${fallback(row)}`,
      );
    const identity = await repo.identity(row.channel, row.channelUser);
    if (!identity || identity.unreachableAt)
      return refuse('unreachable', `the person blocked the bot or the chat is gone; ${fallback(row)}`);
    const hours = deps.replyWindowHours(row.channel);
    const last = identity.lastInboundAt;
    if (hours && (!last || now.getTime() - last.getTime() > hours * 3_600_000)) {
      const ago = last ? `${Math.floor((now.getTime() - last.getTime()) / 3_600_000)} h ago` : 'never';
      return refuse(
        'outside_window',
        `${row.channel} allows replies only within ${hours} h of the person's last message (last: ${ago}); ${fallback(row)}`,
      );
    }
    return undefined;
  }

  const fallback = (row: InboxRow) =>
    row.callbackPhone
      ? `call them back on ${maskPhone(row.callbackPhone)} (see the item) or wait until they write again`
      : 'reach them by phone if one is on file, or wait until they write again';

  async function localeOf(row: InboxRow): Promise<Locale> {
    const identity = await repo.identity(row.channel, row.channelUser);
    return localeFromHint(identity?.locale ?? undefined) ?? 'zh-CN';
  }

  return {
    async listForAccount(access: CoordinatorAccess, now = clock()): Promise<InboxSummary[]> {
      return (await repo.listOpen(scopeOf(access))).map((row) => summary(row, now));
    },

    async get(access: CoordinatorAccess, id: string, now = clock()): Promise<InboxDetail | undefined> {
      const row = await visible(access, id);
      if (!row) return undefined;
      return {
        ...summary(row, now),
        transcript: row.transcript,
        outcome: row.outcome,
        rating: row.rating,
        closedAt: row.closedAt,
        callback: row.callbackPhone
          ? { phone: maskPhone(row.callbackPhone), time: row.callbackTime ?? '' }
          : null,
        enrolments: row.personId ? await repo.enrolments(row.personId) : [],
      };
    },

    async claim(access: CoordinatorAccess, id: string, account: string) {
      if (!(await visible(access, id))) return 'not_found' as const;
      const result = await repo.claim(id, account, clock());
      if (result === 'claimed') deps.publish({ id, type: 'claimed' });
      return result;
    },

    /**
     * A staff reply: one delivery row and one outbound job to the person's conversation (the same key twice
     * sends once). Claims a waiting item for the writer; refused, with the reason, when the channel cannot
     * reach the person now.
     */
    async reply(
      access: CoordinatorAccess,
      id: string,
      input: { text: string; account: string; key?: string },
    ): Promise<ReplyOutcome> {
      const now = clock();
      const text = storableText(input.text).trim().slice(0, MAX_REPLY);
      if (!text) return { status: 'refused', reason: 'empty', message: 'the reply is empty' };
      const row = await visible(access, id);
      if (!row)
        return { status: 'refused', reason: 'not_found', message: `no inbox item ${id} in your scope` };
      if (row.status === 'closed')
        return { status: 'refused', reason: 'closed', message: `item ${id} is closed` };
      const refused = await reachability(row, now);
      if (refused) return refused;
      const key = `inbox:${id}:${input.key ?? createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
      const t = deps.translator.forLocale(await localeOf(row));
      await repo.staffLine(
        id,
        { who: 'staff', text: maskPersonalText(text), at: now.toISOString(), by: input.account },
        now,
      );
      await deps.outbox.enqueue([
        {
          key,
          kind: 'inbox_reply',
          personId: row.personId ?? undefined,
          address: { channel: row.channel, chatId: row.chatId },
          // The first reply of a staff member takes the conversation: the person learns how to leave it.
          message: {
            text:
              row.status === 'waiting'
                ? `${t('inbox:staffReply', { text })}\n${t('inbox:staffHint')}`
                : t('inbox:staffReply', { text }),
          },
        },
      ]);
      deps.publish({ id, type: 'replied' });
      return { status: 'queued', key };
    },

    /** Releases the claim: the bot answers the conversation again; the item stays open. */
    async handBack(access: CoordinatorAccess, id: string): Promise<boolean> {
      if (!(await visible(access, id))) return false;
      const released = await repo.release(id);
      if (released) deps.publish({ id, type: 'released' });
      return released;
    },

    /** Closes the item; for a handoff or complaint the person is asked (if reachable) for a 1–5 rating. */
    async close(
      access: CoordinatorAccess,
      id: string,
      input: { outcome?: string; account: string },
    ): Promise<{ closed: boolean; ratingAsked: boolean }> {
      const now = clock();
      if (!(await visible(access, id))) return { closed: false, ratingAsked: false };
      const row = await repo.close(id, input.outcome?.trim().slice(0, 500) || null, now);
      if (!row) return { closed: false, ratingAsked: false };
      deps.publish({ id, type: 'closed' });
      if (row.kind === 'callback' || (await reachability(row, now)))
        return { closed: true, ratingAsked: false };
      const t = deps.translator.forLocale(await localeOf(row));
      const choices = [1, 2, 3, 4, 5].map((n) => ({
        label: t(`inbox:rate.choice${n}`),
        action: { type: 'flow' as const, flow: 'inbox', value: `rate:${id}:${n}` },
      }));
      await deps.outbox.enqueue([
        {
          key: `inbox:${id}:rating`,
          kind: 'inbox_rating',
          personId: row.personId ?? undefined,
          address: { channel: row.channel, chatId: row.chatId },
          message: {
            text: t(row.kind === 'complaint' ? 'inbox:rate.askComplaint' : 'inbox:rate.ask', {
              trackingNo: row.trackingNo ?? '',
            }),
            choices,
            sessionKey: chatSessionKey(row.channel, row.channelUser),
          },
        },
      ]);
      return { closed: true, ratingAsked: true };
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
