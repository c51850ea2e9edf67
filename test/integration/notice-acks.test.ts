import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp } from '../../src/http/start-http';
import { consoleHttp, invite } from '../support/console';
import { createCourse } from '../support/fixtures';
import {
  chatter,
  enrolledPeople,
  type OutreachWorld,
  outreachWorld,
  until,
} from '../support/outreach-runtime';

const ADMIN = 'admin-acks-test';
let world: OutreachWorld;
let app: FastifyInstance;

beforeAll(async () => {
  world = await outreachWorld({
    env: {
      ADMIN_IDENTITIES: `test:${ADMIN}`,
      NOTICE_ACK_FOLLOW_UP_MINUTES: '5',
      PORT: '0',
      HOST: '127.0.0.1',
      WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef',
    },
  });
  app = await startHttp(world.runtime);
});
afterAll(async () => {
  await app.close();
  await world.close();
});

const received = (chatId: string, count = 1) =>
  until(`${count} message(s) to ${chatId}`, async () => {
    const got = world.channel.sentTo(chatId);
    return got.length >= count ? got : undefined;
  });
const text = (r: { replies: { text: string }[] }) => r.replies.map((x) => x.text).join('\n');

describe('notices that ask for confirmation', () => {
  it('records "收到", a typed "好的", "1" and a tap against the notice, reports by name, and follows up once', async () => {
    const course = await createCourse(world.runtime.db);
    const people = await enrolledPeople(world.runtime.db, course.id, 4);
    const names = ['王小明', '李小红', '赵小刚', '孙小丽'];
    for (const [i, id] of people.entries())
      await world.runtime.db.person.update({ where: { id }, data: { realName: names[i] } });
    const [wang, li, zhao, sun] = people.map((id) => chatter(world.runtime, id));

    const admin = chatter(world.runtime, ADMIN);
    await admin.say('你好');
    const preview = await admin.say(`/broadcast ${course.code} 明天上午9点请带身份证`);
    expect(preview.replies[0]!.choices).toContain('发送，并请大家回复「收到」');
    const sending = await admin.say('发送，并请大家回复「收到」');
    expect(text(sending)).toContain('已请大家确认：5 分钟后仍未回复「收到」的人会再收到一次提醒');

    for (const id of people) {
      const [message] = await received(id);
      expect(message!.text).toContain('明天上午9点请带身份证');
      expect(message!.text).toContain('收到请回复「收到」或点下方按钮确认');
      expect(message!.choices).toEqual(['收到']);
    }

    // A tap on the button, the label's own word typed, "好的", "1".
    expect(text(await wang!.say('', 1))).toContain('已记录您的确认');
    expect(text(await li!.say('好的'))).toContain('已记录您的确认');
    expect(text(await zhao!.say('1'))).toContain('已记录您的确认');
    // A second "收到" is only a thank-you: nothing is recorded twice.
    expect(text(await wang!.say('收到'))).not.toContain('已记录');
    const broadcast = await world.runtime.db.broadcast.findFirstOrThrow({ where: { courseId: course.id } });
    const acks = await world.runtime.db.noticeAck.findMany({ where: { broadcastId: broadcast.id } });
    expect(acks.map((a) => a.personId).sort()).toEqual([wang!.id, li!.id, zhao!.id].sort());
    expect(acks.find((a) => a.personId === wang!.id)).toMatchObject({
      via: 'button',
      deliveryKey: `broadcast:${broadcast.id}:${wang!.id}`,
    });
    expect(acks.find((a) => a.personId === li!.id)!.via).toBe('text');

    // The chat report, by name (masked as on every screen).
    const report = text(await admin.say(`通知报告 ${course.code}`));
    expect(report).toContain('已确认 3 人，已送达未确认 1 人');
    expect(report).toContain('已确认：');
    expect(report).toMatch(/王\*\*/);
    expect(report).toContain('已送达未确认：孙**');
    expect(report).toContain('到时将向未确认的 1 人发送一次提醒');

    // Not due yet: the sweep sends nothing.
    expect((await world.runtime.sweep()).noticeFollowUps).toBe(0);
    // Five minutes on (the notice confirmed six minutes ago): one follow-up, to the one who has not confirmed.
    await world.runtime.db.broadcast.update({
      where: { id: broadcast.id },
      data: { confirmedAt: new Date(Date.now() - 6 * 60_000) },
    });
    expect((await world.runtime.sweep()).noticeFollowUps).toBe(1);
    const [, followUp] = await received(sun!.id, 2);
    expect(followUp!.text).toContain('还没有收到您的确认');
    expect(followUp!.choices).toEqual(['收到']);
    expect((await world.runtime.sweep()).noticeFollowUps).toBe(0);
    for (const p of [wang, li, zhao]) expect(world.channel.sentTo(p!.id)).toHaveLength(1);
    expect(text(await sun!.say('收到'))).toContain('已记录您的确认');

    // The console's notice page lists them by name too.
    const { port } = app.server.address() as AddressInfo;
    const console = await consoleHttp(
      `http://127.0.0.1:${port}`,
      await invite(world.runtime, { role: 'admin' }),
    );
    const page = await console.get(`/console/broadcasts/${broadcast.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('确认情况');
    expect(page.text).toMatch(/data-k="ack-acknowledged">[^<]*孙\*\*/);
    expect(page.text).toContain('已于');
  });

  it("asks for confirmation from the console's notice form too", async () => {
    const course = await createCourse(world.runtime.db);
    const [id] = await enrolledPeople(world.runtime.db, course.id, 1);
    const { port } = app.server.address() as AddressInfo;
    const console = await consoleHttp(
      `http://127.0.0.1:${port}`,
      await invite(world.runtime, { role: 'admin' }),
    );
    const form = await console.get(`/console/broadcasts/new?course=${course.code}`);
    const preview = await console.post(
      '/console/broadcasts/preview',
      new URLSearchParams({
        _csrf: console.tokenOf(form.text),
        course: course.code,
        text: '周五带上结业照片',
      }),
    );
    expect(preview.text).toContain('发送，并请大家回复「收到」');
    const broadcast = await world.runtime.db.broadcast.findFirstOrThrow({ where: { courseId: course.id } });
    const sent = await console.post(
      `/console/broadcasts/${broadcast.id}/send`,
      new URLSearchParams({ _csrf: console.tokenOf(preview.text), ack: 'yes' }),
    );
    expect(sent.status).toBe(303);
    const [message] = await received(id!);
    expect(message!.text).toContain('收到请回复「收到」');
    expect(message!.choices).toEqual(['收到']);
    expect(text(await chatter(world.runtime, id!).say('收到'))).toContain('已记录您的确认');
  });

  it('keeps "收到" a plain acknowledgement when no notice asks for one', async () => {
    const who = chatter(world.runtime);
    await who.say('你好');
    const reply = await who.say('收到');
    expect(reply.intent).toBe('chat.ack');
    expect(text(reply)).not.toContain('确认');
    expect(await world.runtime.db.noticeAck.count({ where: { personId: await who.personId() } })).toBe(0);
  });
});
