import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSessionTime } from '../../src/core/dialog/format-time';
import { planReminders } from '../../src/core/reminders/reminder-plan';
import { startHttp } from '../../src/http/start-http';
import { consoleHttp, invite } from '../support/console';
import { createCourse } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

const ZONE = 'Asia/Shanghai';
const ADMIN = 'admin-schedule-test';
let world: OutreachWorld;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  world = await outreachWorld({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef',
      ADMIN_IDENTITIES: `test:${ADMIN}`,
    },
  });
  app = await startHttp(world.runtime);
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await world.close();
});

const text = (r: { replies: { text: string }[] }) => r.replies.map((x) => x.text).join('\n');
const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
const when = (d: Date) => formatSessionTime(d, 'zh-CN', ZONE);

/** Two people signed up and one waiting, each with a chat on the test channel. */
async function classWithPeople() {
  const course = await createCourse(world.runtime.db, { capacity: 2 });
  const people = [];
  for (const status of ['confirmed', 'confirmed', 'waitlisted']) {
    const who = chatter(world.runtime);
    await who.say('你好');
    const personId = await who.personId();
    expect(await world.runtime.enrolments.enrol(personId, course.code)).toMatchObject({ status });
    const e = await world.runtime.db.enrolment.findFirstOrThrow({ where: { personId, courseId: course.id } });
    people.push({ who, personId, enrolmentId: e.id });
  }
  const sessions = await world.runtime.db.classSession.findMany({
    where: { courseId: course.id },
    orderBy: { startsAt: 'asc' },
  });
  return { course, people, sessions };
}

const delayed = async (enrolmentId: string, sessionId: string) =>
  new Map(
    (await world.runtime.reminderQueue.getDelayed(0, -1))
      .filter((j) => j.id!.includes(`${enrolmentId}.${sessionId}`))
      .map((j) => [j.id!, j.timestamp + (j.opts.delay ?? 0)]),
  );

const received = (chatId: string, count: number) =>
  until(`${count} message(s) to ${chatId}`, async () => {
    const got = world.channel.sentTo(chatId);
    return got.length >= count ? got : undefined;
  });

describe('schedule changes reach people', () => {
  it('moves a class after a preview and a confirmation: reminders follow, the enrolled are told once', async () => {
    const { course, people, sessions } = await classWithPeople();
    const [a, b, waiting] = people;
    const first = sessions[0]!;
    const console = await consoleHttp(base, await invite(world.runtime, { counties: ['zhenxiong'] }));
    const list = await console.get(`/console/courses/${course.code}/sessions`);
    expect(list.text).toContain(`/sessions/${first.id}/edit`);

    // A day and two hours later, on the minute (the form's resolution).
    const startsAt = new Date(Math.floor((first.startsAt.getTime() + 26 * 3_600_000) / 60_000) * 60_000);
    const endsAt = new Date(startsAt.getTime() + 8 * 3_600_000);
    const fields = { startsAt: local(startsAt), endsAt: local(endsAt), venue: '301教室' };
    const form = await console.get(`/console/courses/${course.code}/sessions/${first.id}/edit`);
    const preview = await console.post(
      `/console/courses/${course.code}/sessions/${first.id}/edit`,
      new URLSearchParams({ _csrf: console.tokenOf(form.text), ...fields }),
    );
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('确认课程变动');
    expect(preview.text).toContain('将通知已报名的 2 人');
    expect(preview.text).toContain(`改为 ${when(startsAt)}`);
    // Nothing changed or sent before the confirmation.
    expect((await world.runtime.db.classSession.findUniqueOrThrow({ where: { id: first.id } })).venue).toBe(
      '201教室',
    );
    expect(world.channel.sentTo(a!.who.id)).toHaveLength(0);

    const confirmed = await console.post(
      `/console/courses/${course.code}/sessions/${first.id}/edit`,
      new URLSearchParams({ _csrf: console.tokenOf(preview.text), ...fields, confirm: '1' }),
    );
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toContain('notified=2');
    const stored = await world.runtime.db.classSession.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored).toMatchObject({ startsAt, venue: '301教室' });

    for (const p of [a!, b!]) {
      const [message] = await received(p.who.id, 1);
      expect(message!.text).toContain(`原定 ${when(first.startsAt)} 的课，改为 ${when(startsAt)}`);
      expect(message!.text).toContain('上课地点由「201教室」改为「301教室」');
      expect(message!.text).toContain('上课提醒将按新的时间发送');
    }
    expect(world.channel.sentTo(waiting!.who.id)).toHaveLength(0);

    // The reminders now follow the new time (prepared a minute ahead, as the scheduler does).
    const jobs = await delayed(a!.enrolmentId, first.id);
    const planned = planReminders(startsAt, [1440, 120], ZONE, { start: 22, end: 7 });
    expect(jobs.size).toBe(planned.length);
    for (const p of planned) {
      const due = jobs.get(`reminder.${a!.enrolmentId}.${first.id}.${p.offsetMinutes}`);
      expect(Math.abs(due! - (p.dueAt.getTime() - 60_000))).toBeLessThan(2_000);
    }

    // A second confirmation (a double click) changes and sends nothing more.
    const again = await console.post(
      `/console/courses/${course.code}/sessions/${first.id}/edit`,
      new URLSearchParams({ _csrf: console.tokenOf(preview.text), ...fields, confirm: '1' }),
    );
    expect(again.headers.get('location')).toContain('unchanged=1');
    const page = await console.get(again.headers.get('location')!);
    expect(page.text).toContain('这次课没有变化');
    await new Promise((r) => setTimeout(r, 300));
    expect(world.channel.sentTo(a!.who.id)).toHaveLength(1);
    expect(await world.runtime.db.scheduleChange.count({ where: { sessionId: first.id } })).toBe(1);

    // "我的课表": the new time and place, and when the reminders go.
    const mine = text(await a!.who.say('我的课表'));
    expect(mine).toContain(`${when(startsAt)} ${course.code}`);
    expect(mine).toContain('301教室');
    const times = planned
      .map((p) => p.dueAt)
      .sort((x, y) => x.getTime() - y.getTime())
      .map(when);
    expect(mine).toContain(`提醒将在 ${times.join('、')} 发送`);
    expect(text(await waiting!.who.say('我的课表'))).toContain('您在候补第 1 位');

    // A coordinator of another county sees nothing of it.
    const other = await consoleHttp(base, await invite(world.runtime, { counties: ['weixin'] }));
    const refused = await other.post(
      `/console/courses/${course.code}/sessions/${first.id}/edit`,
      new URLSearchParams({ _csrf: other.tokenOf((await other.get('/console/courses')).text), ...fields }),
    );
    expect(refused.status).toBe(404);
  });

  it('cancels a class and then the course only after confirmation, telling everyone what it means for them', async () => {
    const { course, people, sessions } = await classWithPeople();
    const [a, , waiting] = people;
    const second = sessions[1]!;
    const console = await consoleHttp(base, await invite(world.runtime, { counties: ['zhenxiong'] }));
    const list = await console.get(`/console/courses/${course.code}/sessions`);
    const preview = await console.post(
      `/console/courses/${course.code}/sessions/${second.id}/cancel`,
      new URLSearchParams({ _csrf: console.tokenOf(list.text) }),
    );
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('将通知已报名的 2 人和候补的 1 人');
    expect(
      (await world.runtime.db.classSession.findUniqueOrThrow({ where: { id: second.id } })).cancelled,
    ).toBe(false);
    const done = await console.post(
      `/console/courses/${course.code}/sessions/${second.id}/cancel`,
      new URLSearchParams({ _csrf: console.tokenOf(preview.text), confirm: '1' }),
    );
    expect(done.headers.get('location')).toContain('notified=3');
    const [toA] = await received(a!.who.id, 1);
    expect(toA!.text).toContain(`${when(second.startsAt)} 的课已取消`);
    expect(toA!.text).toContain('这次课不计入出勤');
    const [toWaiting] = await received(waiting!.who.id, 1);
    expect(toWaiting!.text).toContain('您的候补位置不变（第 1 位）');
    expect((await delayed(a!.enrolmentId, second.id)).size).toBe(0);
    expect(text(await a!.who.say('我的课表'))).not.toContain(when(second.startsAt));

    // The whole course.
    const sessionsPage = await console.get(`/console/courses/${course.code}/sessions`);
    const coursePreview = await console.post(
      `/console/courses/${course.code}/cancel`,
      new URLSearchParams({ _csrf: console.tokenOf(sessionsPage.text) }),
    );
    expect(coursePreview.text).toContain('所有之后的课都会取消');
    expect((await world.runtime.db.course.findUniqueOrThrow({ where: { id: course.id } })).status).toBe(
      'open',
    );
    const cancelled = await console.post(
      `/console/courses/${course.code}/cancel`,
      new URLSearchParams({ _csrf: console.tokenOf(coursePreview.text), confirm: '1' }),
    );
    expect(cancelled.headers.get('location')).toContain('notified=3');
    const [, courseToA] = await received(a!.who.id, 2);
    expect(courseToA!.text).toContain('课程已取消');
    expect(courseToA!.text).toContain('您的报名已随之取消；本课程不会产生培训补贴');
    const [, courseToWaiting] = await received(waiting!.who.id, 2);
    expect(courseToWaiting!.text).toContain('您的候补（第 1 位）也随之结束');
    expect(
      await world.runtime.db.enrolment.count({
        where: { courseId: course.id, status: { not: 'cancelled' } },
      }),
    ).toBe(0);
    expect(
      (await world.runtime.reminderQueue.getDelayed(0, -1)).filter((j) => j.id!.includes(a!.enrolmentId)),
    ).toEqual([]);
    expect(text(await a!.who.say('我的课表'))).toContain('您目前没有即将开始的课');
    const audit = await world.runtime.db.auditLog.findMany({ where: { target: course.code } });
    expect(audit.map((x) => x.action)).toEqual(
      expect.arrayContaining(['session.cancelled', 'course.cancelled']),
    );
  });

  it('moves a class by a coordinator\'s chat command after a preview; "不改了" changes nothing', async () => {
    const { course, people, sessions } = await classWithPeople();
    const [a, , waiting] = people;
    const first = sessions[0]!;
    const stranger = chatter(world.runtime);
    await stranger.say('你好');
    expect(text(await stranger.say(`/停课 ${course.code}`))).toContain('只对培训管理员开放');

    const admin = chatter(world.runtime, ADMIN);
    await admin.say('你好');
    // Cancelling, then thinking better of it.
    const cancelPreview = await admin.say(`/停课 ${course.code}`);
    expect(text(cancelPreview)).toContain(`取消 ${when(first.startsAt)}`);
    expect(text(cancelPreview)).toContain('将通知已报名的 2 人和候补的 1 人');
    expect(text(await admin.say('不改了'))).toContain('没有修改');
    expect(
      (await world.runtime.db.classSession.findUniqueOrThrow({ where: { id: first.id } })).cancelled,
    ).toBe(false);

    const target = DateTime.fromJSDate(first.startsAt, { zone: ZONE })
      .plus({ days: 2 })
      .set({ hour: 14, minute: 30, second: 0, millisecond: 0 });
    const preview = await admin.say(`/改课 ${course.code} ${target.toFormat('M-d')} 14:30 302教室`);
    expect(text(preview)).toContain(`改为 ${when(target.toJSDate())} 302教室`);
    expect(preview.replies.at(-1)!.choices).toEqual(['确认并通知', '不改了']);
    expect(world.channel.sentTo(a!.who.id)).toHaveLength(0);
    const done = await admin.say('1');
    expect(text(done)).toContain('已保存，已通知 2 人');
    const [message] = await received(a!.who.id, 1);
    expect(message!.text).toContain(`改为 ${when(target.toJSDate())}`);
    expect(message!.text).toContain('302教室');
    expect(world.channel.sentTo(waiting!.who.id)).toHaveLength(0);
    const stored = await world.runtime.db.classSession.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored.startsAt).toEqual(target.toJSDate());
    expect(stored.endsAt.getTime() - stored.startsAt.getTime()).toBe(
      first.endsAt.getTime() - first.startsAt.getTime(),
    );
    expect(await world.runtime.db.scheduleChange.findFirst({ where: { sessionId: first.id } })).toMatchObject(
      {
        source: 'chat',
        kind: 'moved',
      },
    );
    expect(text(await admin.say('/改课'))).toContain('改课请这样发');

    // Typed as people type it: no slash, the date and time in words. Previewed, then left as it is.
    const later = target.plus({ days: 1 }).set({ hour: 14, minute: 30 });
    const worded = await admin.say(`改课 ${course.code} ${later.toFormat('M月d日')} 下午2点半 二楼实训室`);
    expect(worded.intent).toBe('flow.schedule-change');
    expect(text(worded)).toContain(`改为 ${when(later.toJSDate())} 二楼实训室`);
    expect(text(await admin.say('不改了'))).toContain('没有修改');
    // Without a course code the bare word is not a command.
    expect((await admin.say('调课 是什么意思')).intent).not.toBe('flow.schedule-change');
  });
});
