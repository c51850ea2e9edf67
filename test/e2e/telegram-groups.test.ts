import { describe, expect, it } from 'vitest';
import { createChatLinkRepository } from '../../src/db/repositories/chat-links-repository';
import { createTranslator } from '../../src/i18n/i18n';
import { createCourse } from '../support/fixtures';
import { telegramSuite } from '../support/telegram-suite';

const zh = createTranslator().forLocale('zh-CN');
const BOT = '@TestNameBot'; // the emulator's getMe
const ADMIN = 6100;
const mention = (text: string) => ({ entities: [{ type: 'mention', offset: 0, length: BOT.length }], text });

describe('telegram: class groups', () => {
  const suite = telegramSuite({ env: { ADMIN_IDENTITIES: `telegram:${ADMIN}` } });
  let groupId = -100_600_000;

  /** A new group; `member(id)` posts in it, and the returned observer reads what the bot posts there. */
  function group() {
    const chatId = --groupId;
    const member = (userId: number) =>
      suite.emulator.user({
        token: suite.token,
        userId,
        chatId,
        chatType: 'supergroup',
        firstName: `M${userId}`,
      });
    return { chatId, member, observer: member(6000) };
  }
  const lastSend = () => suite.emulator.calls.filter((c) => c.method === 'sendMessage').at(-1)!.payload;

  it('ignores group chatter and answers only when mentioned or commanded', async () => {
    const g = group();
    const member = g.member(6001);
    await member.send('大家好，明天几点上课？');
    await member.send('/help@SomeOtherBot');
    expect(await g.observer.quiet(300)).toEqual([]);

    await member.send(`${BOT} 学徒制企业补贴多少`, mention(`${BOT} 学徒制企业补贴多少`));
    const [answer] = await g.observer.received(1);
    expect(answer!.text).toContain('4000');
    expect(lastSend()['reply_parameters']).toMatchObject({ allow_sending_without_reply: true });

    await member.send('/help');
    await member.send(`/help${BOT}`);
    const helps = await g.observer.received(2);
    expect(helps.every((h) => h.text.includes(zh('common:help').slice(0, 6)))).toBe(true);
  });

  it('answers a reply to one of its own messages', async () => {
    const g = group();
    const member = g.member(6002);
    await member.send('你好', {
      reply_to_message: {
        message_id: 1,
        date: 1,
        chat: { id: g.chatId, type: 'supergroup', title: 'x' },
        from: { id: 666, is_bot: true, first_name: 'Bot' },
        text: '…',
      },
    });
    expect((await g.observer.received(1))[0]!.buttons.length).toBeGreaterThan(0);
  });

  it('asks an anonymous admin to speak as themselves, and ignores them otherwise', async () => {
    const g = group();
    const anonymous = {
      from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
      sender_chat: { id: g.chatId, type: 'supergroup', title: 'Class group' },
    };
    await g.member(6003).send('通知：明天停课', anonymous);
    expect(await g.observer.quiet(300)).toEqual([]);
    await g.member(6003).send(`${BOT} /link ZX-DS-01`, { ...anonymous, ...mention(`${BOT} /link ZX-DS-01`) });
    expect((await g.observer.received(1))[0]!.text).toBe(zh('telegram:notice.anonymousAdmin'));
  });

  it("keeps one member's buttons to that member", async () => {
    const g = group();
    await g.member(6004).send(`${BOT} 你好`, mention(`${BOT} 你好`));
    const [menu] = await g.observer.received(1);
    const stale = zh('telegram:notice.staleButton');
    const before = suite.emulator.calls.filter((c) => c.payload['text'] === stale).length;
    await g.member(6005).press(menu!, 1);
    expect(await g.observer.quiet(300)).toEqual([]);
    expect(suite.emulator.calls.filter((c) => c.payload['text'] === stale).length).toBe(before + 1);
    await g.member(6004).press(menu!, 1);
    expect(await g.observer.received(1)).toHaveLength(1);
  });

  it("follows one person's conversation across chats, like the dialog does", async () => {
    const g = group();
    await g.member(6007).send(`${BOT} 你好`, mention(`${BOT} 你好`));
    const [menu] = await g.observer.received(1);
    const privately = suite.emulator.user({ token: suite.token, userId: 6007 });
    await privately.send('学徒制企业补贴多少'); // the dialog's current choices change
    await privately.received(1);
    await g.member(6007).press(menu!, 1);
    expect(await g.observer.quiet(300)).toEqual([]);
  });

  it('lets a coordinator link the group to a course, and no one else', async () => {
    const course = await createCourse(suite.runtime.db);
    const g = group();
    await g.member(6006).send(`/link ${course.code}`);
    expect((await g.observer.received(1))[0]!.text).toBe(zh('telegram:link.notAllowed'));

    const admin = g.member(ADMIN);
    await admin.send(`/link ${course.code}`);
    const [done] = await g.observer.received(1);
    expect(done!.text).toContain(course.code);
    await admin.send(`/link@TestNameBot ${course.code.toLowerCase()}`);
    expect((await g.observer.received(1))[0]!.text).toContain(zh('telegram:link.already').slice(0, 6));
    await admin.send('/link QQ-ZZZZ-99');
    expect((await g.observer.received(1))[0]!.text).toContain('QQ-ZZZZ-99');
    await admin.send('/link');
    expect((await g.observer.received(1))[0]!.text).toBe(zh('telegram:link.usage'));

    // What the broadcast service reads to post a course's notices in its groups:
    const chats = await createChatLinkRepository(
      suite.runtime.db,
      suite.runtime.coordinators.access,
    ).chatsForCourse(course.id);
    expect(chats).toEqual([{ channel: 'telegram', chatId: String(g.chatId) }]);
    await suite.runtime.channels.get('telegram')!.send(chats[0]!, { text: '明天上午9点改到201教室' });
    expect((await g.observer.received(1))[0]!.text).toBe('明天上午9点改到201教室');
  });

  it('explains that /link belongs in the group', async () => {
    const user = suite.emulator.user({ token: suite.token, userId: ADMIN });
    await user.send('/link ZX-DS-01');
    expect((await user.received(1))[0]!.text).toBe(zh('telegram:notice.linkInGroupOnly'));
  });
});
