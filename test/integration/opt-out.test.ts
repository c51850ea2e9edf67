import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

let world: OutreachWorld;

beforeAll(async () => {
  world = await outreachWorld();
});
afterAll(() => world.close());

/** One proactive message of `kind` to the person on the test channel, through the outbox and its worker. */
async function deliver(personId: string, chatId: string, kind: string, text: string) {
  const key = `opt-out-test:${kind}:${randomUUID()}`;
  await world.runtime.delivery.outbox.enqueue([
    { key, kind, personId, address: { channel: 'test', chatId }, message: { text } },
  ]);
  return until(`delivery ${key} finished`, async () => {
    const row = await world.runtime.db.delivery.findUnique({ where: { key } });
    return row && (row.status === 'sent' || row.status === 'failed') ? row : undefined;
  });
}

const text = (r: { replies: { text: string }[] }) => r.replies.map((x) => x.text).join('\n');

describe('opt-out ("退订") and "恢复提醒"', () => {
  it('stops non-essential messages on the channel, keeps class reminders and notices, and offers to stop those too', async () => {
    const who = chatter(world.runtime);
    await who.say('你好');
    const personId = await who.personId();

    const reply = await who.say('退订');
    expect(text(reply)).toContain('已为您退订测试渠道上的非必要消息');
    expect(text(reply)).toContain('上课提醒和课程通知仍会发送');
    expect(text(reply)).toContain('恢复提醒');
    expect(reply.replies.at(-1)!.choices).toEqual(['也停止上课提醒和通知', '保留上课提醒和通知']);

    const survey = await deliver(personId, who.id, 'satisfaction_survey', '请为课程打分');
    expect(survey.status).toBe('failed');
    // The delivery module's fallback may name the routes it tried; the reason is the person's own choice.
    expect(survey.error).toContain('opted_out');
    const reminder = await deliver(personId, who.id, 'reminder', '明天上课');
    expect(reminder.status).toBe('sent');
    const notice = await deliver(personId, who.id, 'broadcast', '明天带身份证');
    expect(notice.status).toBe('sent');
    expect(world.channel.sentTo(who.id).map((s) => s.text)).toEqual(['明天上课', '明天带身份证']);

    // "Keep them": nothing more is stopped.
    const kept = await who.say('2');
    expect(text(kept)).toContain('上课提醒和课程通知照常发送');
    expect((await deliver(personId, who.id, 'reminder', '后天上课')).status).toBe('sent');
  });

  it('stops class reminders and notices too when asked, but never replies to the person’s own questions', async () => {
    const who = chatter(world.runtime);
    await who.say('你好');
    const personId = await who.personId();
    await who.say('TD');
    const all = await who.say('1');
    expect(text(all)).toContain('不再给您发送任何提醒和通知');
    expect(text(all)).toContain('只回复您的提问');

    for (const kind of ['reminder', 'broadcast']) {
      const row = await deliver(personId, who.id, kind, '明天停课');
      expect(row.status).toBe('failed');
      expect(row.error).toContain('opted_out');
    }
    expect((await deliver(personId, who.id, 'inbox_reply', '工作人员的回复')).status).toBe('sent');
    expect(world.channel.sentTo(who.id).map((s) => s.text)).toEqual(['工作人员的回复']);

    // "my details" says what is stopped where.
    const details = text(await who.say('查看我的信息'));
    expect(details).toContain('消息设置');
    expect(details).toContain('测试渠道：已停止全部提醒和通知');

    // Another "退订" says so instead of asking again.
    expect(text(await who.say('T'))).toContain('您已停止测试渠道上的全部提醒和通知');

    const resumed = await who.say('恢复提醒');
    expect(text(resumed)).toContain('已为您恢复测试渠道上的全部提醒和通知');
    expect((await deliver(personId, who.id, 'reminder', '后天上课')).status).toBe('sent');
    expect(text(await who.say('查看我的信息'))).toContain('所有渠道都正常接收消息');
    expect(text(await who.say('恢复提醒'))).toContain('没有退订');
  });

  it('answers "unsubscribe" and "resume" in English, and stores the choice per channel', async () => {
    const who = chatter(world.runtime);
    await who.say('hello');
    const personId = await who.personId();
    const reply = await who.say('Unsubscribe');
    expect(text(reply)).toContain('You are unsubscribed from non-essential messages');
    expect(text(reply)).toContain('still come');
    const rows = await world.runtime.db.contactPreference.findMany({ where: { personId } });
    expect(rows).toMatchObject([{ channel: 'test', optOut: 'optional' }]);
    expect(text(await who.say('resume'))).toContain('back on');
    expect(await world.runtime.db.contactPreference.count({ where: { personId } })).toBe(0);
  });

  it('keeps "stop" meaning "cancel this" in the middle of a sign-up', async () => {
    const course = await createCourse(world.runtime.db);
    const who = chatter(world.runtime);
    await who.say('你好');
    await who.say(course.code);
    const signUp = await who.say('报名');
    expect(signUp.intent).toMatch(/^flow\./);
    const stopped = await who.say('stop');
    expect(stopped.intent).toBe('flow.cancel');
    expect(
      await world.runtime.db.contactPreference.count({ where: { personId: await who.personId() } }),
    ).toBe(0);
    // Outside a flow, "stop" is an opt-out.
    expect(text(await who.say('stop'))).toContain('退订');
  });

  it('does not take "退订" in a group chat as the person’s opt-out', async () => {
    const id = `u-${randomUUID().slice(0, 8)}`;
    const reply = await world.runtime.engine.handle({
      id: `${id}:1`,
      address: { channel: 'test', chatId: 'group-1' },
      senderId: id,
      text: '退订',
      isGroup: true,
      receivedAt: new Date(),
    });
    expect(reply.intent).not.toBe('flow.opt-out');
  });
});

describe('"退订" in a chat that cannot write first (the scripted converse chat)', () => {
  const scripted = (id: string) => ({
    say: (words: string) =>
      world.runtime.engine.handle({
        id: `${id}:${randomUUID()}`,
        address: { channel: 'converse', chatId: id },
        senderId: id,
        text: words,
        receivedAt: new Date(),
      }),
  });

  it('does not promise reminders "here"; says there is no way to reach the person when there is none', async () => {
    const reply = await scripted(`cv-${randomUUID().slice(0, 8)}`).say('退订');
    expect(text(reply)).toContain('本对话不能主动给您发消息');
    expect(text(reply)).toContain('不会收到任何提醒或通知');
    expect(text(reply)).not.toContain('仍会发送');
  });

  it('on a chat the bot can write on, the usual reply, even when another chat of theirs is used more', async () => {
    const who = chatter(world.runtime);
    await who.say('你好');
    const personId = await who.personId();
    const other = `web-${randomUUID().slice(0, 8)}`;
    await world.runtime.db.channelIdentity.create({
      data: {
        channel: 'web',
        externalId: other,
        chatId: other,
        personId,
        lastInboundAt: new Date(Date.now() + 60_000),
      },
    });
    const reply = await who.say('退订');
    expect(text(reply)).toContain('上课提醒和课程通知仍会发送');
    expect(text(reply)).not.toContain('不能主动');
    expect(reply.replies.at(-1)!.choices).toEqual(['也停止上课提醒和通知', '保留上课提醒和通知']);
  });

  it('names the chat where the reminders really go, and they do go there', async () => {
    const id = `cv-${randomUUID().slice(0, 8)}`;
    const who = scripted(id);
    await who.say('你好');
    const identity = await world.runtime.db.channelIdentity.findFirstOrThrow({ where: { externalId: id } });
    const elsewhere = `tg-${id}`;
    await world.runtime.db.channelIdentity.create({
      data: { channel: 'test', externalId: elsewhere, chatId: elsewhere, personId: identity.personId },
    });
    const reply = await who.say('退订');
    expect(text(reply)).toContain('会通过测试渠道发送');
    const reminder = await deliver(identity.personId, elsewhere, 'reminder', '明天上课');
    expect(reminder.status).toBe('sent');
    expect(world.channel.sentTo(elsewhere).map((s) => s.text)).toEqual(['明天上课']);
  });
});
