import { describe, expect, it } from 'vitest';
import { Contact as ContactType, Message as MessageType } from 'wechaty-puppet/types';
import {
  isSystemNotice,
  MAX_INBOUND_CHARS,
  outboundParts,
  parseRoomCommand,
  renderOutbound,
  replyLocale,
  stripMentions,
  toInbound,
  type WechatMessageFacts,
  wantsFriendship,
} from '../../src/channels/wechat/wechat-mapper';
import { createTranslator } from '../../src/i18n/i18n';

const translator = createTranslator();

function facts(over: Partial<WechatMessageFacts> = {}): WechatMessageFacts {
  return {
    id: 'm1',
    type: MessageType.Text,
    text: '培训要钱吗',
    timestamp: Date.parse('2026-11-27T02:00:00Z'),
    talkerId: 'wxid_worker',
    talkerName: '王师傅',
    talkerType: ContactType.Individual,
    self: false,
    mentionsSelf: false,
    selfNames: ['技能助手'],
    ...over,
  };
}

describe('wechat mapper: inbound', () => {
  it('maps a private text to the core message', () => {
    const r = toInbound(facts());
    expect(r).toEqual({
      ok: true,
      message: {
        id: 'm1',
        address: { channel: 'wechat', chatId: 'wxid_worker' },
        senderId: 'wxid_worker',
        senderName: '王师傅',
        text: '培训要钱吗',
        kind: 'text',
        isGroup: false,
        mentioned: undefined,
        receivedAt: new Date('2026-11-27T02:00:00Z'),
      },
    });
  });

  it('reads timestamps in seconds as well as milliseconds', () => {
    const r = toInbound(facts({ timestamp: Date.parse('2026-11-27T02:00:00Z') / 1000 }));
    expect(r.ok && r.message.receivedAt.toISOString()).toBe('2026-11-27T02:00:00.000Z');
  });

  it('answers in a room only when mentioned, to the room, with the mention removed', () => {
    expect(toInbound(facts({ roomId: 'r1@chatroom', text: '明天几点上课' }))).toEqual({
      ok: false,
      reason: 'room_not_mentioned',
    });
    const r = toInbound(
      facts({
        roomId: 'r1@chatroom',
        mentionsSelf: true,
        text: '@技能助手\u2005培训要钱吗',
        selfNames: ['技能助手', '小技'],
      }),
    );
    expect(r.ok && r.message).toMatchObject({
      address: { channel: 'wechat', chatId: 'r1@chatroom' },
      senderId: 'wxid_worker',
      text: '培训要钱吗',
      isGroup: true,
      mentioned: true,
    });
    const alias = toInbound(
      facts({
        roomId: 'r1',
        mentionsSelf: true,
        text: '请问 @小技 怎么报名',
        selfNames: ['技能助手', '小技'],
      }),
    );
    expect(alias.ok && alias.message.text).toBe('请问 怎么报名');
  });

  it.each([
    ['self', facts({ self: true })],
    ['official', facts({ talkerType: ContactType.Official })],
    ['official', facts({ talkerId: 'weixin' })],
    ['system', facts({ type: MessageType.Recalled, text: '"王师傅" 撤回了一条消息' })],
    ['system', facts({ type: MessageType.Unknown, text: '' })],
    ['system', facts({ type: MessageType.GroupNote })],
    ['system', facts({ text: '"王师傅" 拍了拍我' })],
    ['system', facts({ text: '你已添加了王师傅，现在可以开始聊天了。' })],
  ] as const)('skips on purpose: %s', (reason, f) => {
    expect(toInbound(f)).toEqual({ ok: false, reason });
  });

  it('skips messages from before the backlog cut-off', () => {
    const notBefore = new Date('2026-11-27T03:00:00Z');
    expect(toInbound(facts(), { notBefore })).toEqual({ ok: false, reason: 'stale' });
    expect(toInbound(facts({ timestamp: Date.parse('2026-11-27T03:00:01Z') }), { notBefore }).ok).toBe(true);
  });

  it.each([
    [MessageType.Audio, 'voice'],
    [MessageType.Image, 'media'],
    [MessageType.Emoticon, 'media'],
    [MessageType.Video, 'media'],
    [MessageType.RedEnvelope, 'media'],
    [MessageType.Transfer, 'media'],
    [MessageType.Url, 'media'],
    [MessageType.MiniProgram, 'media'],
    [MessageType.Attachment, 'media'],
  ] as const)('type %s is %s with no text', (type, kind) => {
    const r = toInbound(facts({ type, text: '<xml>…</xml>' }));
    expect(r.ok && { kind: r.message.kind, text: r.message.text }).toEqual({ kind, text: '' });
  });

  it('cuts a 5,000-character paste and never leaves half an emoji', () => {
    const r = toInbound(facts({ text: '培训'.repeat(2500) }));
    expect(r.ok && r.message.text.length).toBe(MAX_INBOUND_CHARS);
    const emoji = toInbound(facts({ text: `${'a'.repeat(MAX_INBOUND_CHARS - 1)}😀😀` }));
    expect(emoji.ok && emoji.message.text).toBe('a'.repeat(MAX_INBOUND_CHARS - 1));
  });

  it('does not take ordinary sentences for system notices', () => {
    expect(isSystemNotice('他拍了拍我的肩膀说去学电焊')).toBe(false);
    expect(isSystemNotice('我想加入群聊')).toBe(false);
    // The wording of a join by QR code ("加入群聊" without 了) is a notice too.
    expect(isSystemNotice('"王师傅"通过扫描"李老师"分享的二维码加入群聊')).toBe(true);
    expect(isSystemNotice('"王师傅"邀请"李大姐"加入了群聊')).toBe(true);
    expect(isSystemNotice('"李四"邀请"王五"加入了群聊')).toBe(true);
  });

  it('strips only the bot mentions', () => {
    expect(stripMentions('@技能助手\u2005@张老师\u2005你好', ['技能助手'])).toBe('@张老师 你好');
    expect(stripMentions('@技能助手', ['技能助手', ''])).toBe('');
  });
});

describe('wechat mapper: outbound', () => {
  it('shows choices as numbered "回复 N" lines in the language of the reply', () => {
    expect(
      renderOutbound({ text: '要报名这个班吗？', choices: ['报名这个班', '看看其他课程'] }, translator),
    ).toBe('要报名这个班吗？\n\n回复 1 报名这个班\n回复 2 看看其他课程');
    expect(
      renderOutbound({ text: 'Sign up for this class?', choices: ['Sign up', 'Other courses'] }, translator),
    ).toBe('Sign up for this class?\n\nReply 1: Sign up\nReply 2: Other courses');
    expect(renderOutbound({ text: '通知' }, translator)).toBe('通知');
  });

  it('keeps English replies English even when they cite a Chinese clause', () => {
    expect(
      replyLocale({ text: 'Companies get 4000 yuan per apprentice. Source: Implementation Plan 二(二)2.' }),
    ).toBe('en');
    expect(replyLocale({ text: '【QX-ABCD-12】测试课程 报名成功' })).toBe('zh-CN');
  });

  it('splits long replies under the limit without losing a character, choices included', () => {
    const text = '这是一句很长的通知内容。'.repeat(400);
    const message = { text, choices: ['好的', '取消'] };
    const parts = outboundParts(message, translator, 2000);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join('').replace(/\s/g, '')).toBe(renderOutbound(message, translator).replace(/\s/g, ''));
    expect(parts.at(-1)).toContain('回复 2 取消');
    expect(parts.slice(0, -1).every((p) => p.endsWith('。'))).toBe(true);
  });
});

describe('wechat mapper: rooms and friends', () => {
  it('reads "绑定 <course code>" in Chinese or English', () => {
    expect(parseRoomCommand('绑定 zx-ds-01')).toEqual({ type: 'link', code: 'ZX-DS-01', locale: 'zh-CN' });
    expect(parseRoomCommand('绑定课程：ZX-DS-01')).toEqual({
      type: 'link',
      code: 'ZX-DS-01',
      locale: 'zh-CN',
    });
    expect(parseRoomCommand('bind ZX-DS-01')).toEqual({ type: 'link', code: 'ZX-DS-01', locale: 'en' });
    expect(parseRoomCommand('绑定银行卡要钱吗')).toBeUndefined();
    expect(parseRoomCommand('培训要钱吗')).toBeUndefined();
    // Without the course code: the bot explains how, instead of "sorry, I did not understand".
    expect(parseRoomCommand('绑定')).toEqual({ type: 'link_usage', locale: 'zh-CN' });
    expect(parseRoomCommand('bind course:')).toEqual({ type: 'link_usage', locale: 'en' });
  });

  it('accepts friend requests carrying a keyword', () => {
    expect(wantsFriendship('你好，想了解一下培训', ['培训'])).toBe(true);
    expect(wantsFriendship('我是 Training 班的', ['培训', 'training'])).toBe(true);
    expect(wantsFriendship('交个朋友', ['培训'])).toBe(false);
    expect(wantsFriendship('培训', [])).toBe(false);
  });
});
