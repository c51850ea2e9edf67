import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startHttp } from '../../src/http/start-http';
import { consoleHttp, invite } from '../support/console';
import type { FakeSms } from '../support/fake-sms';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, until } from '../support/outreach-runtime';
import { smsOutreachWorld } from '../support/sms-world';

/**
 * Issue 19, item 3: a person chooses how reminders and notices reach them first ("通知方式", "以后用短信通知我"),
 * among the routes that can actually reach them, and the delivery module follows it; staff see and set it on
 * the console from a roster in their scope, audited.
 */
const ADMIN = 'admin-contact-route';
let world: OutreachWorld;
let fake: FakeSms;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  ({ world, fake } = await smsOutreachWorld({
    keyId: 'LTAI5tTestKeyId19',
    templateId: 'SMS_919001',
    env: {
      ADMIN_IDENTITIES: `test:${ADMIN}`,
      PORT: '0',
      HOST: '127.0.0.1',
      WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef',
    },
  }));
  app = await startHttp(world.runtime);
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await world?.close();
  await fake?.close();
});

const text = (r: { replies: { text: string }[] }) => r.replies.map((x) => x.text).join('\n');
const choicesOf = (r: { replies: { choices?: string[] }[] }) => r.replies.at(-1)?.choices ?? [];
const preferred = async (personId: string) =>
  (await world.runtime.db.person.findUniqueOrThrow({ where: { id: personId } })).preferredRoute;

/** Someone on the test chat who gave their phone in "我的信息" (改电话) and signed up for `courseId`. */
async function trainee(courseId: string, phone?: string) {
  const who = chatter(world.runtime);
  await who.say('你好');
  if (phone) {
    await who.say('改电话');
    await who.say(phone);
    expect(text(await who.say('确定修改'))).toContain('已');
  }
  const personId = await who.personId();
  await world.runtime.db.enrolment.create({ data: { personId, courseId, status: 'confirmed' } });
  return { who, personId };
}

describe('the contact preference in the dialog', () => {
  it('"以后用短信通知我": confirmed with the masked number, and the next class notice goes by SMS, not to the chat', async () => {
    const course = await createCourse(world.runtime.db);
    const { who, personId } = await trainee(course.id, '13812341234');

    const reply = await who.say('以后用短信通知我');
    expect(reply.intent).toBe('flow.contact-route');
    expect(text(reply)).toContain('以后上课提醒和班级通知会优先用短信（138****1234）发给您');
    expect(text(reply)).toContain('改用其他方式联系您');
    expect(text(reply)).not.toContain('13812341234');
    expect(await preferred(personId)).toBe('sms');

    // A coordinator's notice to the class, sent from the chat as coordinators do.
    const admin = chatter(world.runtime, ADMIN);
    await admin.say('你好');
    const preview = await admin.say(`/broadcast ${course.code} 明天上午9点请带身份证`);
    expect(choicesOf(preview)).toContain('发送');
    await admin.say('发送');
    const sms = await until('the notice by SMS', async () =>
      fake.sent.find((m) => m.phone === '13812341234'),
    );
    expect(sms.text).toContain('明天上午9点请带身份证');
    const delivery = await until(
      'the notice marked sent',
      async () =>
        (await world.runtime.db.delivery.findFirst({
          where: { personId, kind: 'broadcast', status: 'sent' },
        })) ?? undefined,
    );
    expect(delivery.channel).toBe('sms');
    expect(world.channel.sentTo(who.id).map((s) => s.text)).toEqual([]);

    // Asked again: nothing to change.
    expect(text(await who.say('短信提醒我'))).toContain('您的通知方式已经是短信（138****1234）');
  });

  it('offers only the routes that can reach the person, and refuses the others politely with what to do', async () => {
    const course = await createCourse(world.runtime.db);
    const { who, personId } = await trainee(course.id);

    const asked = await who.say('通知方式');
    expect(text(asked)).toContain('现在：未指定');
    expect(text(asked)).toContain('我们还没有您的手机号。发送「改电话」登记手机号后，就可以选择短信');
    expect(text(asked)).toContain('本平台暂未开通微信服务号通知');
    expect(choicesOf(asked)).toEqual(['聊天消息（测试渠道）', '默认（不指定）']);

    const refused = await who.say('短信提醒我');
    expect(text(refused)).toContain('抱歉，暂时不能用短信通知您');
    expect(text(refused)).toContain('改电话');
    expect(choicesOf(refused)).toEqual(['聊天消息（测试渠道）', '默认（不指定）']);
    expect(await preferred(personId)).toBeNull();
    expect(text(await who.say('用微信通知我'))).toContain('暂时不能用微信服务号通知您');
    expect(await preferred(personId)).toBeNull();

    // The offered choice, typed as its number.
    const chosen = await who.say('1');
    expect(text(chosen)).toContain('以后上课提醒和班级通知会优先用聊天消息（测试渠道）发给您');
    expect(await preferred(personId)).toBe('chat');

    // The delivery module's one rule now picks the chat for them.
    const address = (await world.runtime.delivery.recipients.reachable([personId])).get(personId);
    expect(address?.channel).toBe('test');
  });

  it('"请短信联系我" / "用微信联系我" ask for staff (a callback), not for a contact preference', async () => {
    const course = await createCourse(world.runtime.db);
    const { who, personId } = await trainee(course.id, '13712340001');
    for (const words of ['请短信联系我', '用微信联系我', 'contact me by sms']) {
      const said = await who.say(words);
      expect(said.intent).not.toBe('flow.contact-route');
      expect(text(said)).not.toMatch(/通知方式|优先用|暂时不能用|reminders and class notices/);
      expect(await preferred(personId)).toBeNull();
    }
    // Where a request to be contacted goes today: to staff.
    expect((await who.say('请短信联系我')).intent).toBe('handoff.human');
    // 通知 / 提醒 / 发 still set it.
    await who.say('请短信通知我');
    expect(await preferred(personId)).toBe('sms');
  });

  it('says a refusal once, and with only "默认" left asks for 1, never "1 到 1"', async () => {
    const course = await createCourse(world.runtime.db);
    const { who, personId } = await trainee(course.id);
    // A chat that cannot be written to first (as the web chat): no chat can reach them, no phone, no Service
    // Account — the delivery module's reachability rule answers nothing for them.
    const recipients = world.runtime.delivery.recipients;
    const real = recipients.reachable.bind(recipients);
    const spy = vi.spyOn(recipients, 'reachable').mockImplementation(async (ids, ...rest) => {
      const found = await real(ids, ...rest);
      found.delete(personId);
      return found;
    });
    onTestFinished(() => spy.mockRestore());

    const refused = await who.say('短信提醒我');
    const said = text(refused);
    expect(said).toContain('抱歉，暂时不能用短信通知您');
    expect(said.split('我们还没有您的手机号').length - 1).toBe(1);
    expect(said).toContain('没有其他可以主动联系您的聊天');
    expect(choicesOf(refused)).toEqual(['默认（不指定）']);
    expect(said).toContain('回复 1');
    expect(said).not.toContain('请选择');

    const wrong = await who.say('2');
    expect(text(wrong)).not.toContain('1 到 1');
    expect(text(wrong)).toContain('回复 1');
    expect(text(await who.say('1'))).toContain('您没有指定通知方式');
    expect(await preferred(personId)).toBeNull();
  });

  it('"通知方式" with a very long text, or "notify me by 📱": a sensible answer, never the coordinators-only refusal', async () => {
    const course = await createCourse(world.runtime.db);
    const { who, personId } = await trainee(course.id);
    const story = '我想问一下'.repeat(2000);

    // The first sentence is the request: the choices are offered.
    const sentence = await who.say(`通知方式。\n${story}`);
    expect(sentence.intent).toBe('flow.contact-route');
    expect(text(sentence)).toContain('通知方式：上课提醒和班级通知优先用哪种方式发给您');
    const emoji = await who.say('notify me by 📱');
    expect(emoji.intent).toBe('flow.contact-route');
    expect(choicesOf(emoji)).toContain('默认（不指定）');

    // 10,000 characters in one run: the usual answer to a long message.
    const long = await who.say(`通知方式${story}`);
    expect(text(long)).toContain('您的消息比较长');
    for (const r of [sentence, emoji, long]) expect(text(r)).not.toContain('只对培训管理员开放');
    expect(
      await world.runtime.db.auditLog.count({ where: { actorId: personId, action: 'coordinator.refused' } }),
    ).toBe(0);
    expect(await preferred(personId)).toBeNull();
  });

  it('"默认" / "随便" clears it, and "my details" shows it', async () => {
    const course = await createCourse(world.runtime.db);
    const { who, personId } = await trainee(course.id, '13912345678');

    expect(text(await who.say('查看我的信息'))).toContain('通知方式：未指定（按系统默认顺序发送）');
    await who.say('notify me by SMS');
    expect(await preferred(personId)).toBe('sms');
    expect(text(await who.say('查看我的信息'))).toContain('通知方式：优先用短信（139****5678）');

    const asked = await who.say('通知方式');
    expect(text(asked)).toContain('现在：短信（139****5678）');
    expect(choicesOf(asked)).toEqual(['聊天消息（测试渠道）', '短信（139****5678）', '默认（不指定）']);
    const cleared = await who.say('随便');
    expect(text(cleared)).toContain('已取消您指定的通知方式');
    expect(await preferred(personId)).toBeNull();
    expect(text(await who.say('查看我的信息'))).toContain('通知方式：未指定');

    // The button, pressed.
    await who.say('短信通知我');
    const again = await who.say('通知方式');
    const index = choicesOf(again).indexOf('默认（不指定）');
    expect(text(await who.say('', index + 1))).toContain('已取消您指定的通知方式');
    expect(await preferred(personId)).toBeNull();
    expect(text(await who.say('恢复默认通知方式'))).toContain('您没有指定通知方式');
  });

  it('answers in English, and a preference that can no longer be used is said so in my details', async () => {
    const course = await createCourse(world.runtime.db);
    const who = chatter(world.runtime);
    await who.say('hello');
    const personId = await who.personId();
    await world.runtime.db.enrolment.create({ data: { personId, courseId: course.id, status: 'confirmed' } });
    const asked = await who.say('contact preference');
    expect(text(asked)).toContain('how should class reminders and class notices reach you first');
    expect(text(asked)).toContain('we do not have your mobile number');
    expect(text(await who.say('text me by sms'))).toContain('Sorry, we cannot reach you by SMS for now');

    // Set while there was a number, then the number went (e.g. corrected by staff to nothing).
    await world.runtime.db.person.update({ where: { id: personId }, data: { preferredRoute: 'sms' } });
    expect(text(await who.say('my details'))).toContain('but it cannot be used now');
  });
});

describe('the contact preference on the console', () => {
  it('a coordinator of the course sees the routes, sets SMS (audited), and cannot choose an impossible one', async () => {
    const course = await createCourse(world.runtime.db);
    const withPhone = randomUUID();
    const noPhone = randomUUID();
    await world.runtime.db.person.createMany({
      data: [
        { id: withPhone, realName: '张三', phone: '13700001111' },
        { id: noPhone, realName: '李四' },
      ],
    });
    const enrolments = await Promise.all(
      [withPhone, noPhone].map((personId) =>
        world.runtime.db.enrolment.create({ data: { personId, courseId: course.id, status: 'confirmed' } }),
      ),
    );
    const coordinator = await consoleHttp(base, await invite(world.runtime, { courses: [course.code] }));
    const roster = await coordinator.get(`/console/courses/${course.code}/roster`);
    const page = `/console/courses/${course.code}/roster/${enrolments[0]!.id}/contact`;
    expect(roster.text).toContain(`href="${page}"`);

    const shown = await coordinator.get(page);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('未指定（按系统默认顺序）');
    expect(shown.text).toContain('短信（137****1111）');
    expect(shown.text).not.toContain('13700001111');
    expect(shown.text).toContain('没有可以主动发消息的聊天');

    const saved = await coordinator.post(
      page,
      new URLSearchParams({ _csrf: coordinator.tokenOf(shown.text), route: 'sms' }),
    );
    expect(saved.status).toBe(303);
    expect(await preferred(withPhone)).toBe('sms');
    const after = await coordinator.get(saved.headers.get('location')!);
    expect(after.text).toContain('已保存通知方式：短信（137****1111）');
    const audit = await world.runtime.db.auditLog.findFirstOrThrow({
      where: { action: 'person.contact_route', target: course.code },
    });
    expect(audit.detail).toMatchObject({ personId: withPhone, route: 'sms', previous: 'default' });
    const log = await coordinator.get('/console/audit');
    expect(log.text).toContain('修改通知方式');

    const other = `/console/courses/${course.code}/roster/${enrolments[1]!.id}/contact`;
    const otherPage = await coordinator.get(other);
    const refused = await coordinator.post(
      other,
      new URLSearchParams({ _csrf: coordinator.tokenOf(otherPage.text), route: 'sms' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('不能选这个方式：没有登记手机号');
    expect(await preferred(noPhone)).toBeNull();
  });

  it('a coordinator of another course can neither see nor set it', async () => {
    const course = await createCourse(world.runtime.db);
    const elsewhere = await createCourse(world.runtime.db);
    const personId = randomUUID();
    await world.runtime.db.person.create({ data: { id: personId, realName: '王五', phone: '13600002222' } });
    const enrolment = await world.runtime.db.enrolment.create({
      data: { personId, courseId: course.id, status: 'confirmed' },
    });
    const outsider = await consoleHttp(base, await invite(world.runtime, { courses: [elsewhere.code] }));
    const page = `/console/courses/${course.code}/roster/${enrolment.id}/contact`;
    const shown = await outsider.get(page);
    expect(shown.status).toBe(404);
    expect(shown.text).not.toContain('王五');
    // Through their own course's URL with this person's sign-up: not found either.
    const own = await outsider.get(`/console/courses/${elsewhere.code}/roster`);
    const posted = await outsider.post(
      `/console/courses/${elsewhere.code}/roster/${enrolment.id}/contact`,
      new URLSearchParams({ _csrf: outsider.tokenOf(own.text), route: 'sms' }),
    );
    expect(posted.status).toBe(404);
    const direct = await outsider.post(
      page,
      new URLSearchParams({ _csrf: outsider.tokenOf(own.text), route: 'sms' }),
    );
    expect(direct.status).toBe(404);
    expect(await preferred(personId)).toBeNull();
    expect(
      await world.runtime.db.auditLog.count({
        where: { action: 'person.contact_route', target: course.code },
      }),
    ).toBe(0);
  });
});
