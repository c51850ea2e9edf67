import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteUnreachableError } from '../../src/core/channel';
import type { FakeSms } from '../support/fake-sms';
import { createCourse } from '../support/fixtures';
import { type OutreachWorld, until } from '../support/outreach-runtime';
import { RecordingChannel } from '../support/recording-channel';
import { smsOutreachWorld } from '../support/sms-world';

/**
 * One decision per message, through the outbound queue: the chat first, SMS when the chat cannot carry it (the
 * person blocked the bot, or the channel says "not reachable on this route", as the Official Account does for
 * 43101/45015/45047), the person's own preference before the configured order, staff told about anyone no route
 * reaches, and never a second SMS for one message, whatever is retried or queued again.
 */
let world: OutreachWorld;
let fake: FakeSms;
const chat = new RecordingChannel();

beforeAll(async () => {
  ({ world, fake } = await smsOutreachWorld({
    keyId: 'LTAI5tTestKeyId02',
    templateId: 'SMS_900002',
    templates: {
      reminder: {
        templateId: 'SMS_900003',
        params: ['course', 'time', 'place'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
        wording: '上课提醒：您报名的${course}将于${time}在${place}上课，请准时参加。拒收请回复R',
      },
    },
    channel: chat,
    env: { REMINDER_OFFSETS_MINUTES: '1', REMINDER_QUIET_HOURS: '' },
  }));
}, 120_000);
afterAll(async () => {
  await world?.close();
  await fake?.close();
});

async function person(options: { chat?: boolean; phone?: string; preferred?: string; name?: string }) {
  const id = randomUUID();
  await world.runtime.db.person.create({
    data: { id, realName: options.name ?? '李四', phone: options.phone, preferredRoute: options.preferred },
  });
  if (options.chat)
    await world.runtime.db.channelIdentity.create({
      data: { channel: 'test', externalId: id, chatId: id, personId: id, lastInboundAt: new Date() },
    });
  return id;
}
async function notice(personId: string, key = `broadcast:${randomUUID()}:${personId}`) {
  const address = (await world.runtime.delivery.recipients.reachable([personId])).get(personId);
  await world.runtime.delivery.outbox.enqueue([
    { key, kind: 'broadcast', personId, address, message: { text: '明天上午九点在职校三楼上课。' } },
  ]);
  return key;
}
const row = (key: string) => world.runtime.db.delivery.findUniqueOrThrow({ where: { key } });
const attempts = async (key: string) =>
  world.runtime.db.deliveryAttempt.findMany({
    where: { deliveryId: (await row(key)).id },
    orderBy: { createdAt: 'asc' },
  });
const smsTo = (phone: string) => fake.sent.filter((m) => m.phone === phone);

describe('one decision per message', () => {
  it('writes to the chat when it can, and nobody gets an SMS for it', async () => {
    const id = await person({ chat: true, phone: '13900139001' });
    const key = await notice(id);
    await until('sent', async () => (await row(key)).status === 'sent');
    expect((await row(key)).channel).toBe('test');
    expect(chat.sentTo(id)).toHaveLength(1);
    expect(smsTo('13900139001')).toHaveLength(0);
  });

  it('falls back to SMS when the person blocked the bot on the chat, and records both attempts', async () => {
    const id = await person({ chat: true, phone: '13900139002' });
    chat.failNext('blocked', { chatId: id });
    const key = await notice(id);
    await until('sent by SMS', async () => (await row(key)).status === 'sent');
    expect(await row(key)).toMatchObject({ channel: 'sms', chatId: id });
    expect(smsTo('13900139002')).toHaveLength(1);
    expect((await attempts(key)).map((a) => [a.channel, a.status, a.reason])).toEqual([
      ['test', 'fell_back', 'blocked'],
      ['sms', 'sent', null],
    ]);
  });

  it('falls back when the channel says the person cannot be reached on that route (the OA refusal)', async () => {
    const id = await person({ chat: true, phone: '13900139003' });
    chat.rule((address) =>
      address.chatId === id
        ? new RouteUnreachableError('43101 user refuse to accept the msg', 'oa_refused')
        : undefined,
    );
    const key = await notice(id);
    await until('sent by SMS', async () => (await row(key)).status === 'sent');
    expect((await row(key)).channel).toBe('sms');
    expect((await attempts(key))[0]).toMatchObject({
      channel: 'test',
      status: 'fell_back',
      reason: 'oa_refused',
    });
  });

  it("follows the person's own preference before the configured order", async () => {
    const id = await person({ chat: true, phone: '13900139004', preferred: 'sms' });
    const key = await notice(id);
    await until('sent', async () => (await row(key)).status === 'sent');
    expect((await row(key)).channel).toBe('sms');
    expect(chat.sentTo(id)).toHaveLength(0);
  });

  it('lists by name, for staff, a person no route reaches, and says which routes were tried', async () => {
    const nowhere = await person({ name: '王五' });
    const key = await notice(nowhere);
    expect(await row(key)).toMatchObject({ status: 'failed', error: 'no_reachable_channel' });
    const blockedNoPhone = await person({ chat: true, name: '赵六' });
    chat.failNext('blocked', { chatId: blockedNoPhone });
    const key2 = await notice(blockedNoPhone);
    await until('failed', async () => (await row(key2)).status === 'failed');
    expect((await row(key2)).error).toBe('blocked');
    const badPhone = await person({ chat: true, phone: '12345', name: '钱七' });
    chat.failNext('blocked', { chatId: badPhone });
    const key3 = await notice(badPhone);
    await until('failed', async () => (await row(key3)).status === 'failed');
    expect((await row(key3)).error).toBe(
      'no_reachable_channel: tried test (blocked), sms (sms_phone_invalid)',
    );

    const listed = await world.runtime.db.followUp.findMany({
      where: { kind: 'no_channel', resolvedAt: null, personId: { in: [nowhere, blockedNoPhone, badPhone] } },
      include: { person: { select: { realName: true } } },
    });
    expect(listed.map((f) => f.person.realName).sort()).toEqual(['王五', '赵六', '钱七'].sort());
    // Listed once, however many messages failed to reach them.
    await notice(nowhere);
    expect(await world.runtime.db.followUp.count({ where: { kind: 'no_channel', personId: nowhere } })).toBe(
      1,
    );
  });

  it('sends one SMS for one message: the same key queued twice, a network error retried, its job queued again', async () => {
    const id = await person({ phone: '13900139005' });
    fake.failNext('13900139005', 'isp.SYSTEM_ERROR');
    const key = `broadcast:${randomUUID()}:${id}`;
    await Promise.all([notice(id, key), notice(id, key)]);
    await until('sent', async () => (await row(key)).status === 'sent');
    const r = await row(key);
    await world.runtime.delivery.outbox.requeue([{ key, channel: r.channel, chatId: r.chatId }]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smsTo('13900139005')).toHaveLength(1);
    expect((await attempts(key)).map((a) => a.status)).toEqual(['failed', 'sent']);
  });

  it('the chat job run again after its fallback (a stalled job, a sweep) sends nothing a second time', async () => {
    const id = await person({ chat: true, phone: '13900139006' });
    chat.failNext('blocked', { chatId: id });
    const key = await notice(id);
    await until('sent by SMS', async () => (await row(key)).status === 'sent');
    // The chat's job run again (a stalled job, a sweep): the row is done, nothing is sent again.
    await world.runtime.delivery.outbox.requeue([{ key, channel: 'test', chatId: id }]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smsTo('13900139006')).toHaveLength(1);
    expect(chat.sentTo(id)).toHaveLength(0);
  });

  it('reminds a person enrolled by staff with only a phone number by SMS, with the class, time and place', async () => {
    const id = await person({ phone: '13900139007', name: '孙八' });
    // Starts in 62 s: the one-minute reminder is due at once.
    const course = await createCourse(world.runtime.db, { startsInHours: 62 / 3600 });
    expect(await world.runtime.enrolments.enrol(id, course.code)).toMatchObject({ status: 'confirmed' });
    const [sms] = await until('the reminder by SMS', async () => {
      const got = smsTo('13900139007');
      return got.length ? got : undefined;
    });
    const session = await world.runtime.db.classSession.findFirstOrThrow({ where: { courseId: course.id } });
    expect(sms!.templateId).toBe('SMS_900003');
    expect(sms!.text).toContain(`您报名的${course.title.slice(0, 20)}`);
    expect(sms!.text).toContain(`在${session.venue}上课`);
    expect(sms!.text.endsWith('拒收请回复R')).toBe(true);
  });
});
