import type pg from 'pg';
import type { Channel } from '../core/channel';
import { chatSessionKey } from '../core/dialog/chat-session';
import type { ChannelName } from '../core/message';

/**
 * The platforms that can write to a person later, unprompted (a `converse` script cannot). Anything else —
 * a test's recording channel, a benchmark's — says so itself with the capability `proactive: true`.
 */
export const PROACTIVE_CHANNELS = [
  'telegram',
  'wechat',
  'web',
  'terminal',
] as const satisfies readonly ChannelName[];

/** The channels this process's deliveries may use: the platforms above plus any channel declaring `proactive`. */
export function proactiveChannels(channels: Iterable<Pick<Channel, 'name' | 'capabilities'>>): ChannelName[] {
  const names = new Set<ChannelName>(PROACTIVE_CHANNELS);
  for (const channel of channels) if (channel.capabilities.proactive) names.add(channel.name);
  return [...names];
}

/**
 * THE reachability rule, as SQL: a person's chat is their most recently used identity on a channel the bot can
 * write to (`channelsParam`, a text[] parameter) that has not been marked unreachable (blocked, chat gone). A
 * LEFT JOIN LATERAL named `alias` with channel, chat_id and external_id, for the person in `personColumn`.
 * The channel test is wrapped in IS TRUE so the planner cannot use the (channel, external_id) index for it:
 * with stale statistics it did, scanning every identity of the channel once per recipient (30 s for 10,000).
 */
export function reachableIdentityJoin(personColumn: string, channelsParam: string, alias: string): string {
  return `
  LEFT JOIN LATERAL (
    SELECT i.channel, i.chat_id, i.external_id FROM channel_identities i
    WHERE i.person_id = ${personColumn} AND i.unreachable_at IS NULL AND (i.channel = ANY(${channelsParam}::text[])) IS TRUE
    ORDER BY i.last_inbound_at DESC NULLS LAST, i.created_at DESC LIMIT 1) ${alias} ON true`;
}

export interface Reachable {
  channel: ChannelName;
  chatId: string;
  externalId: string;
}

/** Where each person can be written to now; people missing from the map have no reachable chat. */
export interface Recipients {
  reachable(personIds: readonly string[]): Promise<Map<string, Reachable>>;
}

export function createRecipients(pool: pg.Pool, channels: readonly ChannelName[]): Recipients {
  return {
    async reachable(personIds) {
      const found = new Map<string, Reachable>();
      const unique = [...new Set(personIds)];
      for (let i = 0; i < unique.length; i += 5_000) {
        const { rows } = await pool.query<{
          person_id: string;
          channel: ChannelName;
          chat_id: string;
          external_id: string;
        }>(
          `SELECT p.id AS person_id, r.channel, r.chat_id, r.external_id
           FROM unnest($1::uuid[]) AS p(id) ${reachableIdentityJoin('p.id', '$2', 'r')}
           WHERE r.channel IS NOT NULL`,
          [unique.slice(i, i + 5_000), channels],
        );
        for (const r of rows)
          found.set(r.person_id, { channel: r.channel, chatId: r.chat_id, externalId: r.external_id });
      }
      return found;
    },
  };
}

/** The chat session key of an identity, as the engine builds it. */
export const sessionKeyOf = (r: Reachable) => chatSessionKey(r.channel, r.externalId);
