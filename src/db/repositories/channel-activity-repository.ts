import type { ChannelName } from '../../core/message';
import type { Db } from '../prisma-client';

/**
 * When a person last wrote to the bot on a channel (ChannelIdentity.lastInboundAt): the Official Account
 * may only message people within 48 hours of that, so the channel reads and records it.
 */
export interface ChannelActivity {
  lastInboundAt(channel: ChannelName, chatId: string): Promise<Date | undefined>;
  recordInbound(channel: ChannelName, externalId: string, at: Date): Promise<void>;
}

export function createChannelActivity(db: Db): ChannelActivity {
  return {
    async lastInboundAt(channel, chatId) {
      const row = await db.channelIdentity.findFirst({
        where: { channel, chatId, lastInboundAt: { not: null } },
        orderBy: { lastInboundAt: 'desc' },
        select: { lastInboundAt: true },
      });
      return row?.lastInboundAt ?? undefined;
    },
    async recordInbound(channel, externalId, at) {
      await db.channelIdentity.updateMany({ where: { channel, externalId }, data: { lastInboundAt: at } });
    },
  };
}
