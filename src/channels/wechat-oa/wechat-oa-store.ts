import type { Db } from '../../db/prisma-client';
import type { OaRoute } from './wechat-oa-errors';

/** What the Service Account remembers: subscription consents, notices sent by msgid, who follows it. */
export interface OaStore {
  /** A popup answer (subscribe_msg_popup_event) or a change in settings: accept adds one use, reject ends all. */
  recordConsent(openId: string, item: { templateId: string; accept: boolean; scene?: string }): Promise<void>;
  /** Uses a consent for one notice: a long-term one stays, a one-time one is used up. False when none is left. */
  takeConsent(openId: string, templateId: string, longTerm: boolean): Promise<boolean>;
  /** Gives back a consent taken for a notice that did not go out (not a refusal). */
  returnConsent(openId: string, templateId: string, longTerm: boolean): Promise<void>;
  hasConsent(openId: string, templateIds: readonly string[]): Promise<boolean>;
  recordSend(send: {
    msgId: string;
    deliveryKey?: string;
    openId: string;
    route: Exclude<OaRoute, 'custom'>;
    templateId: string;
  }): Promise<void>;
  /** The push's result for a msgid (TEMPLATESENDJOBFINISH, subscribe_msg_sent_event). */
  recordResult(msgId: string, status: string): Promise<void>;
  /** Unfollowing marks the person's identity unreachable; following again clears it. */
  setFollowing(openId: string, following: boolean): Promise<void>;
}

export function prismaOaStore(db: Db): OaStore {
  return {
    async recordConsent(openId, { templateId, accept, scene }) {
      await db.wechatOaConsent.upsert({
        where: { openId_templateId: { openId, templateId } },
        create: {
          openId,
          templateId,
          status: accept ? 'accept' : 'reject',
          remaining: accept ? 1 : 0,
          scene,
        },
        update: accept
          ? { status: 'accept', remaining: { increment: 1 }, scene }
          : { status: 'reject', remaining: 0, scene },
      });
    },
    async takeConsent(openId, templateId, longTerm) {
      const where = { openId, templateId, status: 'accept' };
      if (longTerm) return (await db.wechatOaConsent.count({ where })) > 0;
      const taken = await db.wechatOaConsent.updateMany({
        where: { ...where, remaining: { gt: 0 } },
        data: { remaining: { decrement: 1 } },
      });
      return taken.count > 0;
    },
    async returnConsent(openId, templateId, longTerm) {
      if (longTerm) return;
      await db.wechatOaConsent.updateMany({
        where: { openId, templateId, status: 'accept' },
        data: { remaining: { increment: 1 } },
      });
    },
    async hasConsent(openId, templateIds) {
      if (!templateIds.length) return false;
      return (
        (await db.wechatOaConsent.count({
          where: { openId, templateId: { in: [...templateIds] }, status: 'accept' },
        })) > 0
      );
    },
    async recordSend(send) {
      await db.wechatOaSend.upsert({ where: { msgId: send.msgId }, create: send, update: {} });
    },
    async recordResult(msgId, status) {
      // The result may in rare cases arrive before our row is written: keep it as a row of its own then.
      await db.wechatOaSend.upsert({
        where: { msgId },
        create: { msgId, openId: '', route: 'template', templateId: '', status, finishedAt: new Date() },
        update: { status, finishedAt: new Date() },
      });
    },
    async setFollowing(openId, following) {
      await db.channelIdentity.updateMany({
        where: { channel: 'wechat-oa', externalId: openId },
        data: { unreachableAt: following ? null : new Date() },
      });
    },
  };
}
