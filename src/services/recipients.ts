import { chatSessionKey } from '../core/dialog/chat-session';
import type { ChannelName } from '../core/message';
import type { Db } from '../db/prisma-client';
import { PROACTIVE_CHANNELS } from '../jobs/queue-names';

export interface Reachable {
  channel: ChannelName;
  chatId: string;
  externalId: string;
}

/**
 * Where each person can be written to: their most recently used channel identity that the bot can send to
 * and that has not been marked unreachable (blocked, chat gone). People missing from the map have none.
 */
export async function reachableIdentities(
  db: Db,
  personIds: readonly string[],
): Promise<Map<string, Reachable>> {
  const found = new Map<string, Reachable>();
  const unique = [...new Set(personIds)];
  for (let i = 0; i < unique.length; i += 5_000) {
    const rows = await db.channelIdentity.findMany({
      where: {
        personId: { in: unique.slice(i, i + 5_000) },
        unreachableAt: null,
        channel: { in: [...PROACTIVE_CHANNELS] },
      },
      orderBy: [{ lastInboundAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
      select: { personId: true, channel: true, chatId: true, externalId: true },
    });
    for (const r of rows) {
      if (!found.has(r.personId)) {
        found.set(r.personId, {
          channel: r.channel as ChannelName,
          chatId: r.chatId,
          externalId: r.externalId,
        });
      }
    }
  }
  return found;
}

/** The chat session key of an identity, as the engine builds it. */
export const sessionKeyOf = (r: Reachable) => chatSessionKey(r.channel, r.externalId);
