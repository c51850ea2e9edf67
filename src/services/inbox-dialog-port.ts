import type { InboxPort } from '../core/inbox/inbox-item';
import { maskPersonalText, storableText } from '../core/inbox/mask-text';
import type { InboxRepository } from '../db/repositories/inbox-repository';
import type { InboxChange } from './inbox-events';

/** The inbox as the dialog sees it: every text masked before it is stored, every change published. */
export function createInboxDialogPort(deps: {
  repo: InboxRepository;
  publish(change: InboxChange): void;
  /** After an item is opened: tell staff (inbox-alerts.ts); must not throw. */
  onOpened?: () => void;
  clock?: () => Date;
}): InboxPort {
  const { repo, publish } = deps;
  const clock = deps.clock ?? (() => new Date());
  const MAX_LINE = 1_000;
  // PostgreSQL text and jsonb take neither NUL nor a lone surrogate (people type both, see the fuzz test).
  const clean = (text: string) => maskPersonalText(storableText(text)).slice(0, MAX_LINE);

  return {
    async open(item) {
      const now = clock();
      const at = now.toISOString();
      const created = await repo.create(
        {
          kind: item.kind,
          personId: item.personId,
          channel: item.conversation.channel,
          channelUser: item.conversation.user,
          chatId: item.conversation.chatId,
          county: await repo.countyOf(item.personId),
          lastText: clean(item.text),
          transcript: [{ who: 'user', text: clean(item.text), at }],
        },
        now,
      );
      publish({ id: created.id, type: 'opened' });
      deps.onOpened?.();
      return created;
    },
    state: (id) => repo.state(id),
    openFor: (conversation) => repo.openFor(conversation.channel, conversation.user),
    async note(id, who, text) {
      await repo.append(id, { who, text: clean(text), at: clock().toISOString() });
      publish({ id, type: 'updated' });
    },
    async release(id) {
      if (await repo.release(id)) publish({ id, type: 'released' });
    },
    async requestCallback(id, phone, time) {
      await repo.setCallback(id, phone, clean(time).slice(0, 200));
      publish({ id, type: 'updated' });
    },
    complaint: (personId, trackingNo) => repo.complaint(personId, trackingNo),
    rate: (personId, id, rating) => repo.rate(personId, id, rating),
  };
}
