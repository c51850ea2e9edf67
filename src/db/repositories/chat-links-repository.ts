import type { ChannelName, ChatAddress } from '../../core/message';
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

/**
 * Links between group chats and courses. Only an admin (ADMIN_IDENTITIES or Coordinator.role 'admin') or a
 * coordinator whose course or county scope covers the course may link.
 */
export function createChatLinkRepository(db: Db, adminIdentities: string[] = []): ChatLinkRepository {
  return {
    async link({ channel, chatId, externalId, code }) {
      const identity = await db.channelIdentity.findUnique({
        where: { channel_externalId: { channel, externalId } },
        select: { personId: true, person: { select: { coordinator: true } } },
      });
      const coordinator = identity?.person.coordinator;
      const admin = adminIdentities.includes(`${channel}:${externalId}`) || coordinator?.role === 'admin';
      if (!admin && !coordinator) return { status: 'not_coordinator' };

      const course = await db.course.findUnique({
        where: { code },
        select: { id: true, code: true, title: true, titleEn: true, county: true },
      });
      if (!course) return { status: 'unknown_course', code };
      const inScope =
        admin ||
        coordinator?.courseScope.includes(course.code) ||
        coordinator?.countyScope.includes(course.county);
      if (!inScope) return { status: 'not_coordinator' };

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
