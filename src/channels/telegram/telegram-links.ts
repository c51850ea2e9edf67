import type { Translate } from '../../core/i18n';
import type { ChatLinkRepository } from '../../db/repositories/chat-links-repository';
import type { Logger } from '../../logger';
import type { MappedUpdate } from './telegram-mapper';

const REPLY = {
  linked: 'done',
  already: 'already',
  not_coordinator: 'notAllowed',
  unknown_course: 'notFound',
} as const;

/**
 * `/link <course code>` in a group: a coordinator of the course (or an admin) links the group so the course's
 * broadcasts are posted there too. Who may do it is the repository's rule (the same as for WeChat rooms);
 * this answers in the sender's language.
 */
export async function linkGroup(
  links: Pick<ChatLinkRepository, 'link'> | undefined,
  m: Extract<MappedUpdate, { type: 'link' }>,
  t: Translate,
  log: Logger,
): Promise<string> {
  if (!m.code) return t('telegram:link.usage');
  const outcome = await links
    ?.link({ channel: 'telegram', chatId: m.origin.chatId, externalId: m.senderId, code: m.code })
    .catch((error: unknown) => {
      log.error({ err: error }, 'linking a group failed');
      return undefined;
    });
  if (!outcome) return t('telegram:link.failed');
  if (outcome.status === 'linked') log.info({ chatId: m.origin.chatId, code: m.code }, 'group linked');
  const course = 'course' in outcome ? outcome.course : undefined;
  return t(`telegram:link.${REPLY[outcome.status]}`, {
    code: course?.code ?? m.code,
    title: course?.title[m.origin.locale] ?? '',
  });
}
