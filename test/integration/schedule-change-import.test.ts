import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSessionTime } from '../../src/core/dialog/format-time';
import { planReminders } from '../../src/core/reminders/reminder-plan';
import { startHttp } from '../../src/http/start-http';
import { consoleHttp, invite } from '../support/console';
import { courseCode } from '../support/fixtures';
import { chatter, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';

/**
 * Issue 19, item 6, by import: a file that moves an existing course's classes changes nothing on upload; its
 * report previews the changes and who is told, and the confirmation goes through the schedule-change service
 * (reminders follow, the enrolled told once). The same file again changes and sends nothing; a class the file
 * no longer has is cancelled only when ticked.
 */
const ZONE = 'Asia/Shanghai';
let world: OutreachWorld;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  world = await outreachWorld({
    env: { PORT: '0', HOST: '127.0.0.1', WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef' },
  });
  app = await startHttp(world.runtime);
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await world.close();
});

const when = (d: Date) => formatSessionTime(d, 'zh-CN', ZONE);
const fmt = (d: DateTime) => d.toFormat('yyyy-MM-dd HH:mm');
const received = (chatId: string, count: number) =>
  until(`${count} message(s) to ${chatId}`, async () => {
    const got = world.channel.sentTo(chatId);
    return got.length >= count ? got : undefined;
  });
const settle = () => new Promise((r) => setTimeout(r, 400));

/** The values of the preview form's `change` fields (hidden ones, and the checkboxes when `ticked`). */
function changesOf(page: string, ticked = false): string[] {
  const out: string[] = [];
  for (const m of page.matchAll(/<input type="(hidden|checkbox)" name="change" value="([^"]*)"/g)) {
    if (m[1] === 'checkbox' && !ticked) continue;
    out.push(m[2]!.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&'));
  }
  return out;
}

describe('an import that changes existing classes', () => {
  it('previews, then moves them through the schedule-change service once; the same file again does nothing', async () => {
    const console = await consoleHttp(base, await invite(world.runtime, { counties: ['zhenxiong'] }));
    const upload = async (csv: string) => {
      const page = await console.get('/console/import');
      const token = /action="\/console\/import\?_csrf=([^"]+)"/.exec(page.text)?.[1] ?? '';
      const form = new FormData();
      form.append('file', new Blob([csv]), 'courses.csv');
      return console.post(`/console/import?_csrf=${token}`, form);
    };
    const code = courseCode();
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 }).startOf('day');
    const file = (start: DateTime, venue: string, sessions: number) =>
      [
        '课程编号,课程名称,工种,县区,地点,名额,开始时间,结束时间,课次,间隔天数',
        `${code},导入改期测试班,ecommerce,镇雄县,${venue},2,${fmt(start)},${fmt(start.plus({ hours: 8 }))},${sessions},1`,
      ].join('\n');

    const created = await upload(file(day.set({ hour: 9 }), 'A楼101', 2));
    expect(created.text).toContain('新建 1 门');
    const course = await world.runtime.db.course.findUniqueOrThrow({
      where: { code },
      include: { sessions: { orderBy: { startsAt: 'asc' } } },
    });
    expect(course.sessions).toHaveLength(2);
    const people = [];
    for (const status of ['confirmed', 'confirmed', 'waitlisted']) {
      const who = chatter(world.runtime);
      await who.say('你好');
      const personId = await who.personId();
      expect(await world.runtime.enrolments.enrol(personId, code)).toMatchObject({ status });
      const e = await world.runtime.db.enrolment.findFirstOrThrow({
        where: { personId, courseId: course.id },
      });
      people.push({ who, enrolmentId: e.id });
    }
    const [a, b, waiting] = people;

    // The same file again: no schedule change, nothing to confirm, nothing sent.
    const same = await upload(file(day.set({ hour: 9 }), 'A楼101', 2));
    expect(same.text).toContain('更新 1 门');
    expect(same.text).not.toContain('上课时间和地点的改动');

    // A day later at 10:00, in another building: previewed, not done.
    const moved = day.plus({ days: 1 }).set({ hour: 10 });
    const preview = await upload(file(moved, 'B楼202', 2));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('上课时间和地点的改动');
    expect(preview.text).toContain('2 人将收到改期通知');
    const [first, second] = course.sessions;
    // Who (how many), old → new, per class.
    const rows = [...preview.text.matchAll(/<tr data-k="move"><td>([^<]*)<\/td><td>([^<]*)</g)];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      [expect.stringMatching(/09:00 · A楼101$/), expect.stringMatching(/10:00 · B楼202$/)],
      [expect.stringMatching(/09:00 · A楼101$/), expect.stringMatching(/10:00 · B楼202$/)],
    ]);
    expect(preview.text).toContain('确认改期并通知');
    const unchanged = await world.runtime.db.course.findUniqueOrThrow({
      where: { code },
      include: { sessions: { orderBy: { startsAt: 'asc' } } },
    });
    expect(unchanged.venue).toBe('A楼101');
    expect(unchanged.sessions.map((s) => s.startsAt)).toEqual([first!.startsAt, second!.startsAt]);
    await settle();
    expect(world.channel.sentTo(a!.who.id)).toHaveLength(0);

    const changes = changesOf(preview.text);
    const confirm = (values: string[], page: string) => {
      const form = new URLSearchParams({ _csrf: console.tokenOf(page) });
      for (const v of values) form.append('change', v);
      return console.post('/console/import/schedule', form);
    };
    const done = await confirm(changes, preview.text);
    expect(done.status).toBe(200);
    expect(done.text).toContain('改期 2 次');
    // Two people, each told of both classes: two people told, not four messages.
    expect(done.text).toContain('已通知 2 人');

    const newFirst = moved.toJSDate();
    const newSecond = moved.plus({ days: 1 }).toJSDate();
    for (const p of [a!, b!]) {
      const messages = await received(p.who.id, 2);
      const all = messages.map((m) => m.text).join('\n');
      expect(all).toContain(`原定 ${when(first!.startsAt)} 的课，改为 ${when(newFirst)}`);
      expect(all).toContain(`原定 ${when(second!.startsAt)} 的课，改为 ${when(newSecond)}`);
      expect(all).toContain('上课地点由「A楼101」改为「B楼202」');
      expect(all).toContain('上课提醒将按新的时间发送');
    }
    expect(world.channel.sentTo(waiting!.who.id)).toHaveLength(0);
    const stored = await world.runtime.db.course.findUniqueOrThrow({
      where: { code },
      include: { sessions: { orderBy: { startsAt: 'asc' } } },
    });
    expect(stored.venue).toBe('B楼202');
    expect(stored.sessions.map((s) => [s.startsAt, s.venue])).toEqual([
      [newFirst, 'B楼202'],
      [newSecond, 'B楼202'],
    ]);
    const recorded = await world.runtime.db.scheduleChange.findMany({ where: { courseId: course.id } });
    expect(recorded.map((r) => [r.kind, r.source])).toEqual([
      ['moved', 'import'],
      ['moved', 'import'],
    ]);

    // The reminders follow the new time (prepared a minute ahead).
    const jobs = new Map(
      (await world.runtime.reminderQueue.getDelayed(0, -1))
        .filter((j) => j.id!.includes(`${a!.enrolmentId}.${first!.id}`))
        .map((j) => [j.id!, j.timestamp + (j.opts.delay ?? 0)]),
    );
    const planned = planReminders(newFirst, [1440, 120], ZONE, { start: 22, end: 7 });
    expect(jobs.size).toBe(planned.length);
    for (const p of planned) {
      const due = jobs.get(`reminder.${a!.enrolmentId}.${first!.id}.${p.offsetMinutes}`);
      expect(Math.abs(due! - (p.dueAt.getTime() - 60_000))).toBeLessThan(2_000);
    }

    // Confirming twice, and importing the same file again: nothing changes, nobody is told again.
    const twice = await confirm(changes, done.text);
    expect(twice.text).toContain('改期 0 次');
    expect(twice.text).toContain('2 项没有变化');
    const again = await upload(file(moved, 'B楼202', 2));
    expect(again.text).not.toContain('上课时间和地点的改动');
    await settle();
    expect(world.channel.sentTo(a!.who.id)).toHaveLength(2);
    expect(await world.runtime.db.scheduleChange.count({ where: { courseId: course.id } })).toBe(2);

    // "我的课表" shows the new time and place.
    const mine = (await a!.who.say('我的课表')).replies.map((r) => r.text).join('\n');
    expect(mine).toContain(`${when(newFirst)} ${code}`);
    expect(mine).toContain('B楼202');

    // One class fewer in the file: the second class is offered for cancellation, never cancelled unticked.
    const fewer = await upload(file(moved, 'B楼202', 1));
    expect(fewer.text).toContain('导入不会自动取消课程');
    expect(fewer.text).toMatch(/取消 [^<]*10:00 的课，并通知已报名的 2 人和候补的 1 人/);
    expect(fewer.text).not.toContain('人将收到改期通知');
    const kept = await confirm(changesOf(fewer.text), fewer.text);
    expect(kept.text).toContain('取消 0 次');
    expect(
      (await world.runtime.db.classSession.findUniqueOrThrow({ where: { id: second!.id } })).cancelled,
    ).toBe(false);
    const ticked = await confirm(changesOf(fewer.text, true), fewer.text);
    expect(ticked.text).toContain('取消 1 次');
    expect(ticked.text).toContain('已通知 3 人');
    const [toWaiting] = await received(waiting!.who.id, 1);
    expect(toWaiting!.text).toContain(`${when(newSecond)} 的课已取消`);
    expect(toWaiting!.text).toContain('您的候补位置不变（第 1 位）');
    const [, , cancelToA] = await received(a!.who.id, 3);
    expect(cancelToA!.text).toContain('这次课不计入出勤');

    // Another county's coordinator cannot confirm changes to this course.
    const other = await consoleHttp(base, await invite(world.runtime, { counties: ['weixin'] }));
    const page = await other.get('/console/import');
    const form = new URLSearchParams({ _csrf: other.tokenOf(page.text) });
    for (const v of changes)
      form.append('change', v.replace(first!.startsAt.toISOString(), newFirst.toISOString()));
    const refused = await other.post('/console/import/schedule', form);
    expect(refused.text).toContain('改期 0 次');
    expect(
      (await world.runtime.db.classSession.findUniqueOrThrow({ where: { id: first!.id } })).startsAt,
    ).toEqual(newFirst);
  });

  it('adds a class the file has once, however often (or at once) the confirmation comes; never one ending before it starts', async () => {
    const console = await consoleHttp(base, await invite(world.runtime, { counties: ['zhenxiong'] }));
    const upload = async (csv: string) => {
      const page = await console.get('/console/import');
      const token = /action="\/console\/import\?_csrf=([^"]+)"/.exec(page.text)?.[1] ?? '';
      const form = new FormData();
      form.append('file', new Blob([csv]), 'courses.csv');
      return console.post(`/console/import?_csrf=${token}`, form);
    };
    const code = courseCode();
    const start = DateTime.now().setZone(ZONE).plus({ days: 4 }).startOf('day').set({ hour: 9 });
    const file = (sessions: number) =>
      [
        '课程编号,课程名称,工种,县区,地点,名额,开始时间,结束时间,课次,间隔天数',
        `${code},导入加课测试班,ecommerce,镇雄县,C楼301,5,${fmt(start)},${fmt(start.plus({ hours: 8 }))},${sessions},1`,
      ].join('\n');
    expect((await upload(file(1))).text).toContain('新建 1 门');
    const course = await world.runtime.db.course.findUniqueOrThrow({ where: { code } });
    const who = chatter(world.runtime);
    await who.say('你好');
    expect(await world.runtime.enrolments.enrol(await who.personId(), code)).toMatchObject({
      status: 'confirmed',
    });
    await settle();
    const before = world.channel.sentTo(who.id).length;

    const preview = await upload(file(2));
    const changes = changesOf(preview.text);
    expect(changes.filter((c) => c.includes('"add"'))).toHaveLength(1);
    const confirm = () => {
      const form = new URLSearchParams({ _csrf: console.tokenOf(preview.text) });
      for (const v of changes) form.append('change', v);
      return console.post('/console/import/schedule', form);
    };
    // The form sent twice at once, then once more.
    const both = await Promise.all([confirm(), confirm()]);
    const third = await confirm();
    const texts = [...both, third].map((r) => r.text);
    expect(texts.filter((t) => t.includes('新增 1 次'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('新增 0 次'))).toHaveLength(2);
    const sessions = await world.runtime.db.classSession.findMany({ where: { courseId: course.id } });
    expect(sessions).toHaveLength(2);
    expect(await world.runtime.db.auditLog.count({ where: { action: 'session.added', target: code } })).toBe(
      1,
    );
    await settle();
    expect(world.channel.sentTo(who.id)).toHaveLength(before);

    // A class that ends before it starts, typed into the form: not added, counted as unchanged.
    const later = start.plus({ days: 7 });
    const form = new URLSearchParams({ _csrf: console.tokenOf(preview.text) });
    form.append(
      'change',
      JSON.stringify({
        kind: 'add',
        code,
        startsAt: later.toJSDate().toISOString(),
        endsAt: later.minus({ hours: 1 }).toJSDate().toISOString(),
        venue: 'C楼301',
      }),
    );
    const backwards = await console.post('/console/import/schedule', form);
    expect(backwards.text).toContain('新增 0 次');
    expect(backwards.text).toContain('1 项没有变化');
    expect(await world.runtime.db.classSession.count({ where: { courseId: course.id } })).toBe(2);
  });

  it('keeps the old rhythm and count when the file leaves those cells empty, and shows a class already held', async () => {
    const console = await consoleHttp(base, await invite(world.runtime, { counties: ['zhenxiong'] }));
    const page = await console.get('/console/import');
    const token = /action="\/console\/import\?_csrf=([^"]+)"/.exec(page.text)?.[1] ?? '';
    const code = courseCode();
    const course = await world.runtime.db.course.create({
      data: {
        code,
        title: '已开课的班',
        trade: 'ecommerce',
        trainingType: 'employment',
        county: 'zhenxiong',
        venue: '老校区',
        capacity: 10,
        sessions: {
          create: [-1, 1, 2].map((d) => {
            const s = DateTime.now()
              .setZone(ZONE)
              .plus({ days: d })
              .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
            return { startsAt: s.toJSDate(), endsAt: s.plus({ hours: 8 }).toJSDate(), venue: '老校区' };
          }),
        },
      },
    });
    const start = DateTime.now().setZone(ZONE).plus({ days: -1 }).set({ hour: 8, minute: 0 });
    const csv = [
      'code,title,trade,county,venue,capacity,startsAt,endsAt',
      `${code},已开课的班,ecommerce,zhenxiong,老校区,10,${fmt(start)},${fmt(start.plus({ hours: 8 }))}`,
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv]), 'c.csv');
    const report = await console.post(`/console/import?_csrf=${token}`, form);
    // Three classes a day apart, each an hour earlier: two coming ones move, the one held is left as it was.
    expect(report.text).toContain('上课时间和地点的改动');
    expect(changesOf(report.text).filter((c) => c.includes('"move"'))).toHaveLength(2);
    expect(report.text).toContain('导入不会修改它');
    expect(report.text).not.toContain('导入不会自动取消课程');
    expect(
      await world.runtime.db.classSession.count({ where: { courseId: course.id, cancelled: false } }),
    ).toBe(3);
  });
});
