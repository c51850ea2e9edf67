import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSessionTime } from '../../src/core/dialog/format-time';
import { allText } from '../support/converse';
import type { FakeSms } from '../support/fake-sms';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, until } from '../support/outreach-runtime';
import { smsOutreachWorld } from '../support/sms-world';

/**
 * Issue 19, item 6, for family sign-ups: a daughter signed up by her father (no chat of her own) is told of a
 * moved or cancelled class through him, by name, as her reminders are; the father's own sign-up to the same
 * course gets its own message, so each says whose class it is and nobody gets one twice.
 */
const ZONE = 'Asia/Shanghai';
const ADMIN = 'admin-family-schedule';
let world: OutreachWorld;
let fake: FakeSms;
beforeAll(async () => {
  // SMS is on: a family member who chose SMS can be written to directly.
  ({ world, fake } = await smsOutreachWorld({
    keyId: 'LTAI5tTestKeyId12',
    templateId: 'SMS_912001',
    env: { ADMIN_IDENTITIES: `test:${ADMIN}` },
  }));
}, 120_000);
afterAll(async () => {
  await world?.close();
  await fake?.close();
});

const when = (d: Date) => formatSessionTime(d, 'zh-CN', ZONE);
const received = (chatId: string, count: number) =>
  until(`${count} message(s) to ${chatId}`, async () => {
    const got = world.channel.sentTo(chatId);
    return got.length >= count ? got : undefined;
  });

describe('schedule changes of a family sign-up', () => {
  it('go to the parent who signed the daughter up, naming her, once per sign-up', async () => {
    const c = await createCourse(world.runtime.db, { capacity: 5, realNameRequired: false });
    const [first] = await world.runtime.db.classSession.findMany({
      where: { courseId: c.id },
      orderBy: { startsAt: 'asc' },
    });
    const p = chatter(world.runtime);
    await p.say('你好');
    await world.runtime.db.person.update({
      where: { id: await p.personId() },
      data: { realName: '王建国', phone: '13900001111', consentProfileAt: new Date() },
    });
    // The father signs himself up, then his daughter, who has no phone or chat of her own.
    await p.say(`报名 ${c.code}`);
    expect((await p.say('1')).events).toContainEqual({ type: 'enrolled', course: c.code });
    await p.say(`帮我女儿报名 ${c.code}`);
    await p.say('1');
    await p.say('王小红');
    const signed = await p.say('没有');
    expect(signed.events).toContainEqual({
      type: 'family_enrolled',
      course: c.code,
      relation: 'daughter',
      status: 'confirmed',
    });
    const before = world.channel.sentTo(p.id).length;

    const admin = chatter(world.runtime, ADMIN);
    await admin.say('你好');
    const target = DateTime.fromJSDate(first!.startsAt, { zone: ZONE })
      .plus({ days: 2 })
      .set({ hour: 14, minute: 30, second: 0, millisecond: 0 });
    const preview = await admin.say(`/改课 ${c.code} ${target.toFormat('M-d')} 14:30 302教室`);
    expect(allText(preview)).toContain('将通知已报名的 2 人');
    expect(allText(await admin.say('1'))).toContain('已保存，已通知 2 人');

    // Two messages to the father: his own class, and his daughter's by name; none to anyone else.
    const moved = (await received(p.id, before + 2)).slice(before);
    const texts = moved.map((m) => m.text);
    const own = texts.find((t) => t.startsWith('课程变动：您报名的'));
    const hers = texts.find((t) => t.includes('您为王小红报名的'));
    expect(own).toContain(`原定 ${when(first!.startsAt)} 的课，改为 ${when(target.toJSDate())}`);
    expect(hers).toContain(
      `${c.code}「${c.title}」原定 ${when(first!.startsAt)} 的课，改为 ${when(target.toJSDate())}`,
    );
    expect(hers).toContain('上课提醒将按新的时间发给您，请转告王小红');
    expect(hers).toContain('上课地点由「201教室」改为「302教室」');
    await new Promise((r) => setTimeout(r, 400));
    expect(world.channel.sentTo(p.id)).toHaveLength(before + 2);
    const change = await world.runtime.db.scheduleChange.findFirstOrThrow({ where: { courseId: c.id } });
    const rows = await world.runtime.db.delivery.findMany({
      where: { key: { startsWith: `schedule-change:${change.id}:` } },
    });
    // Both written to the father, each under its own sign-up's key.
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.personId))).toEqual(new Set([await p.personId()]));

    // "收到" from the father after the notice is acknowledged as from anyone, in his language.
    const ack = await p.say('收到');
    expect(ack.intent).toBe('chat.ack');
    expect(allText(ack)).toContain('好的');

    // A cancelled class: her message says what it means for her sign-up.
    const cancelPreview = await admin.say(`/停课 ${c.code}`);
    expect(allText(cancelPreview)).toContain('将通知已报名的 2 人');
    await admin.say('1');
    const cancelled = (await received(p.id, before + 4)).slice(before + 2).map((m) => m.text);
    const hersCancelled = cancelled.find((t) => t.includes('您为王小红报名的'));
    expect(hersCancelled).toContain('的课已取消，请转告王小红');
    expect(hersCancelled).toContain('王小红的报名和其他课次不变');
    expect(cancelled.find((t) => t.startsWith('课程变动：您报名的'))).toContain('您的报名和其他课次不变');
  });

  it('go to the family member herself once she has a chat of her own', async () => {
    const c = await createCourse(world.runtime.db, { capacity: 5, realNameRequired: false });
    const p = chatter(world.runtime);
    await p.say('你好');
    await p.say(`帮我女儿报名 ${c.code}`);
    await p.say('1');
    await p.say('王小芳');
    expect((await p.say('没有')).events).toContainEqual(expect.objectContaining({ type: 'family_enrolled' }));
    // She starts chatting on her own: her identity joins her person record.
    const link = await world.runtime.db.familyLink.findFirstOrThrow({
      where: { proxyId: await p.personId() },
    });
    const daughter = chatter(world.runtime);
    await world.runtime.db.channelIdentity.create({
      data: {
        channel: 'test',
        externalId: daughter.id,
        chatId: daughter.id,
        personId: link.memberId,
        lastInboundAt: new Date(),
      },
    });
    const before = world.channel.sentTo(p.id).length;
    const admin = chatter(world.runtime, ADMIN);
    await admin.say('你好');
    await admin.say(`/停课 ${c.code}`);
    expect(allText(await admin.say('1'))).toContain('已通知 1 人');
    const [toHer] = await received(daughter.id, 1);
    expect(toHer!.text).toContain('课程变动：您报名的');
    await new Promise((r) => setTimeout(r, 400));
    expect(world.channel.sentTo(p.id)).toHaveLength(before);
  });

  it('go to a member who chose SMS herself (通知方式) by SMS, not to the parent; one with no name is "您的家人"', async () => {
    const c = await createCourse(world.runtime.db, { capacity: 5, realNameRequired: false });
    const p = chatter(world.runtime);
    await p.say('你好');
    const proxyId = await p.personId();
    const db = world.runtime.db;
    /** A family member the parent signed up, with no chat of her own. */
    const member = async (data: { realName?: string; phone?: string; preferredRoute?: string }) => {
      const m = await db.person.create({ data });
      await db.familyLink.create({ data: { proxyId, memberId: m.id, relation: 'daughter' } });
      await db.enrolment.create({ data: { personId: m.id, courseId: c.id, status: 'confirmed' } });
      return m.id;
    };
    const choseSms = await member({ realName: '王小丽', phone: '13700001212', preferredRoute: 'sms' });
    const noChoice = await member({ realName: '王小梅', phone: '13700001313' });
    await member({});
    const before = world.channel.sentTo(p.id).length;

    const admin = chatter(world.runtime, ADMIN);
    await admin.say('你好');
    await admin.say(`/停课 ${c.code}`);
    expect(allText(await admin.say('1'))).toContain('已通知 3 人');
    const change = await db.scheduleChange.findFirstOrThrow({ where: { courseId: c.id } });
    const rows = await db.delivery.findMany({
      where: { key: { startsWith: `schedule-change:${change.id}:` } },
    });
    const to = new Map(rows.map((r) => [r.key.split(':').at(-1), r]));
    // Her own choice: SMS to her own phone.
    expect(to.get(choseSms)).toMatchObject({ personId: choseSms, channel: 'sms' });
    // No choice of her own: through the parent, as her reminders.
    expect(to.get(noChoice)).toMatchObject({ personId: proxyId, channel: 'test' });

    // The parent gets two: the one without a preference by name, the one with no name as "您的家人".
    const texts = (await received(p.id, before + 2)).slice(before).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => t.includes('您为王小梅报名的'))).toBe(true);
    const unnamed = texts.find((t) => !t.includes('王小梅'));
    expect(unnamed).toContain('您为您的家人报名的');
    expect(unnamed).toContain('请转告您的家人');
    expect(texts.join('\n')).not.toContain('您为报名的');
    expect(texts.join('\n')).not.toContain('王小丽');
    await until('the SMS to her', async () => fake.sent.find((m) => m.phone === '13700001212'));
  });
});
