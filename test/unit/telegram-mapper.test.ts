import type { Message, Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { callbackSecret, checkPress } from '../../src/channels/telegram/telegram-callback';
import { commandMenus } from '../../src/channels/telegram/telegram-commands';
import { type MappedUpdate, mapUpdate } from '../../src/channels/telegram/telegram-mapper';
import { toSendCalls } from '../../src/channels/telegram/telegram-outbound-mapper';
import { createTranslator } from '../../src/i18n/i18n';

const translator = createTranslator();
const bot = { id: 666, username: 'JinengBot' };
const options = { bot, translator, defaultLocale: 'zh-CN' as const };
const person = { id: 42, is_bot: false, first_name: '小', last_name: '王', language_code: 'en-US' };
const privateChat = { id: 42, type: 'private' as const, first_name: '小' };
const groupChat = { id: -1001, type: 'supergroup' as const, title: '电商班' };

function update(fields: Partial<Message>, chat: Message['chat'] = privateChat): Update {
  const message = { message_id: 7, date: 1_700_000_000, chat, from: person, ...fields } as Message;
  return { update_id: 1, message } as Update;
}
const map = (u: Update) => mapUpdate(u, options);
const inbound = (m: MappedUpdate) => {
  if (m.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(m)}`);
  return m.message;
};

describe('telegram mapper: updates in', () => {
  it('turns a private text message into an InboundMessage with the app language as a hint', () => {
    const m = inbound(map(update({ text: '培训要钱吗' })));
    expect(m).toMatchObject({
      id: '42:7',
      address: { channel: 'telegram', chatId: '42' },
      senderId: '42',
      senderName: '小 王',
      text: '培训要钱吗',
      localeHint: 'en-US',
      isGroup: false,
      kind: 'text',
    });
    expect(m.receivedAt.getTime()).toBe(1_700_000_000_000);
  });

  it('maps commands onto the words the dialog understands, in the app language', () => {
    const cmd = (text: string, language_code = 'zh-hans') =>
      inbound(
        map(
          update({
            text,
            from: { ...person, language_code },
            entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
          }),
        ),
      );
    expect(cmd('/help').text).toBe('帮助');
    expect(cmd('/help', 'en').text).toBe('help');
    expect(cmd('/mycourses').text).toBe('我的课程');
    expect(cmd('/cancel').text).toBe('取消');
    expect(cmd('/lang en').text).toBe('English');
    expect(cmd('/lang').text).toBe('切换语言');
    expect(cmd('/start').text).toBe('你好');
    expect(cmd('/start zx-ds-01').text).toBe('报名 ZX-DS-01');
    expect(cmd('/start ZX_DS_01', 'en').text).toBe('sign up ZX-DS-01');
    expect(cmd('/start AB12CD34').text).toBe('/start AB12CD34');
    expect(cmd('/start inv-AB12CD34').text).toBe('/start AB12CD34');
    expect(cmd('/start <script>').text).toBe('你好');
    expect(cmd('/start').kind).toBe('command');
    expect(cmd('/weather').text).toBe('/weather');
  });

  it('in a group, answers only mentions, its commands and replies to itself, without the mention', () => {
    const inGroup = (fields: Partial<Message>) => map(update(fields, groupChat));
    expect(inGroup({ text: '大家好' })).toEqual({ type: 'ignore', reason: 'not_addressed' });
    expect(
      inGroup({ text: '/help@OtherBot', entities: [{ type: 'bot_command', offset: 0, length: 14 }] }),
    ).toEqual({ type: 'ignore', reason: 'other_bot' });
    const mentioned = inbound(
      inGroup({ text: '请问 @jinengbot 培训要钱吗', entities: [{ type: 'mention', offset: 3, length: 10 }] }),
    );
    expect(mentioned).toMatchObject({ text: '请问 培训要钱吗', isGroup: true, mentioned: true });
    const replied = map(
      update(
        { text: '好的', reply_to_message: { from: { id: 666 } } as Message['reply_to_message'] },
        groupChat,
      ),
    );
    expect(replied).toMatchObject({ type: 'message', origin: { chatId: '-1001', replyTo: 7 } });
    const own = inGroup({
      text: '/help@JinengBot',
      entities: [{ type: 'bot_command', offset: 0, length: 15 }],
    });
    expect(inbound(own).text).toBe('help');
  });

  it('links groups with /link, and tells private chats it belongs in a group', () => {
    const link = (chat: Message['chat']) =>
      map(
        update({ text: '/link zx-ds-01', entities: [{ type: 'bot_command', offset: 0, length: 5 }] }, chat),
      );
    expect(link(groupChat)).toMatchObject({ type: 'link', code: 'ZX-DS-01', senderId: '42' });
    expect(link(privateChat)).toMatchObject({ type: 'notice', notice: 'linkInGroupOnly' });
  });

  it('handles what is not plain text on purpose', () => {
    expect(inbound(map(update({ sticker: {} as Message['sticker'] }))).kind).toBe('media');
    expect(inbound(map(update({ photo: [], caption: '看看' }))).kind).toBe('media');
    expect(inbound(map(update({ voice: {} as Message['voice'] }))).kind).toBe('voice');
    expect(
      inbound(map(update({ contact: { phone_number: '+8613800138000', first_name: '王', user_id: 42 } })))
        .text,
    ).toBe('+8613800138000');
    expect(
      map(update({ text: '取消', forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'x' } })),
    ).toMatchObject({ type: 'notice', notice: 'forwarded' });
    expect(map(update({ new_chat_members: [] }))).toEqual({ type: 'ignore', reason: 'service' });
    expect(map(update({ text: 'hi', from: { ...person, is_bot: true } }))).toEqual({
      type: 'ignore',
      reason: 'from_bot',
    });
    const anonymous = {
      sender_chat: groupChat,
      text: '@JinengBot hi',
      entities: [{ type: 'mention' as const, offset: 0, length: 10 }],
    };
    expect(map(update(anonymous, groupChat))).toMatchObject({ type: 'notice', notice: 'anonymousAdmin' });
    expect(map({ update_id: 2, edited_message: update({ text: 'x' }).message } as Update)).toEqual({
      type: 'ignore',
      reason: 'edited',
    });
    expect(
      map({
        update_id: 3,
        channel_post: update({ text: 'x' }, { id: -5, type: 'channel', title: 'c' }).message,
      } as Update),
    ).toEqual({ type: 'ignore', reason: 'channel_post' });
  });

  it('passes a button press on with its data, to be checked against the last menu', () => {
    const press = map({
      update_id: 4,
      callback_query: {
        id: 'q1',
        from: person,
        chat_instance: 'i',
        data: 'c2.xxxxxxxxxxxx',
        message: update({ text: 'm' }).message,
      },
    } as Update);
    expect(press).toMatchObject({
      type: 'press',
      callbackId: 'q1',
      data: 'c2.xxxxxxxxxxxx',
      message: { id: 'cb:q1', senderId: '42' },
    });
  });
});

describe('telegram mapper: messages out', () => {
  const secret = callbackSecret('123:token');

  it('puts choices on inline buttons under the last part, and checks presses of that menu only', () => {
    const key = '42';
    const { calls, menu } = toSendCalls(
      { text: '请选择', choices: ['报名', '看看其他课程'] },
      { secret, key },
    );
    const buttons = calls[0]!.reply_markup!.inline_keyboard.flat();
    // Numbered like the terminal's and WeChat's lines, so "回复数字" fits every channel.
    expect(buttons.map((b) => b.text)).toEqual(['1. 报名', '2. 看看其他课程']);
    const data = buttons.map((b) => ('callback_data' in b ? b.callback_data : ''));
    expect(data.every((d) => d.length <= 64)).toBe(true);
    expect(checkPress(data[1], secret, key, menu)).toEqual({ ok: true, index: 2 });
    expect(checkPress(data[1], secret, '43', menu)).toMatchObject({ ok: false });
    expect(checkPress(data[1], callbackSecret('other'), key, menu)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const other = toSendCalls({ text: '另一个菜单', choices: ['a', 'b'] }, { secret, key }).menu;
    expect(checkPress(data[1], secret, key, other)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkPress(data[1], secret, key, undefined)).toEqual({ ok: false, reason: 'no_menu' });
    expect(checkPress('garbage', secret, key, menu)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('splits a long text at sentence ends under 4096 characters and keeps the buttons for the end', () => {
    const long = '这是一句很长的通知内容。'.repeat(600);
    const { calls } = toSendCalls({ text: long, choices: ['好'] }, { secret, key: '42' });
    expect(calls.length).toBe(2);
    expect(calls.map((c) => c.text).join('')).toBe(long);
    expect(calls[0]!.text.endsWith('。')).toBe(true);
    expect(calls[0]!.reply_markup).toBeUndefined();
    expect(calls[1]!.reply_markup).toBeDefined();
  });

  it('has command menus in Chinese for zh apps and English for everyone else', () => {
    const menus = commandMenus(translator);
    const zhPrivate = menus.find((m) => m.language_code === 'zh' && m.scope?.type === 'default')!;
    const enPrivate = menus.find((m) => m.language_code === undefined && m.scope?.type === 'default')!;
    expect(zhPrivate.commands.map((c) => c.command)).toEqual([
      'start',
      'help',
      'lang',
      'mycourses',
      'cancel',
    ]);
    expect(enPrivate.commands.find((c) => c.command === 'help')!.description).toMatch(/what I can do/i);
    expect(menus.find((m) => m.scope?.type === 'all_group_chats')!.commands.map((c) => c.command)).toContain(
      'link',
    );
  });
});
