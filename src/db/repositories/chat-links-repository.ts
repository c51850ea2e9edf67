import { courseInScope } from '../../core/access-scope';
import type { ChannelName, ChatAddress } from '../../core/message';
import type { CoordinatorAccess, IdentityKey } from '../../core/outreach-ports';
import type { LocalizedText } from '../../core/ports';
import type { Db } from '../prisma-client';

export type ChatLinkOutcome =
  | { status: 'linked' | 'already'; course: { code: string; title: LocalizedText } }
  | { status: 'not_coordinator' }
  | { status: 'unknown_course'; code: string };

export interface ChatLinkRequest {
  channel: ChannelName;
  /** The group chat (a WeChat room, a Telegram group). */
  chatId: string;
  /** The platform id of the person asking: must be a coordinator of the course (or an admin). */
  externalId: string;
  code: string;
}

export interface ChatLinkRepository {
  link(request: ChatLinkRequest): Promise<ChatLinkOutcome>;
  /** Group chats a course's broadcasts should also be posted to. */
  chatsForCourse(courseId: string): Promise<ChatAddress[]>;
}

/** A person's coordinator rights (the coordinator service's `access`: ADMIN_IDENTITIES or a redeemed invite). */
export type AccessOf = (
  personId: string | undefined,
  identity: IdentityKey,
) => Promise<CoordinatorAccess | undefined>;

/**
 * Links between group chats and courses. Only someone whose coordinator scope covers the course may link
 * (an admin covers every course): the one scope rule, core/access-scope.ts.
 */
export function createChatLinkRepository(db: Db, accessOf: AccessOf): ChatLinkRepository {
  return {
    async link({ channel, chatId, externalId, code }) {
      const identity = await db.channelIdentity.findUnique({
        where: { channel_externalId: { channel, externalId } },
        select: { personId: true },
      });
      const access = await accessOf(identity?.personId, { channel, externalId });
      if (!access) return { status: 'not_coordinator' };

      const course = await db.course.findUnique({
        where: { code },
        select: { id: true, code: true, title: true, titleEn: true, county: true },
      });
      if (!course) return { status: 'unknown_course', code };
      if (!courseInScope(access, course)) return { status: 'not_coordinator' };

      const summary = {
        code: course.code,
        title: { 'zh-CN': course.title, en: course.titleEn ?? course.title },
      };
      const created = await db.chatLink.createMany({
        data: [{ channel, chatId, courseId: course.id, createdBy: identity?.personId ?? null }],
        skipDuplicates: true,
      });
      return { status: created.count > 0 ? 'linked' : 'already', course: summary };
    },

    async chatsForCourse(courseId) {
      const links = await db.chatLink.findMany({ where: { courseId }, orderBy: { createdAt: 'asc' } });
      return links.map((l) => ({ channel: l.channel as ChannelName, chatId: l.chatId }));
    },
  };
}
