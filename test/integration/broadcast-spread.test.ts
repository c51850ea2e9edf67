import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCourse } from '../support/fixtures';
import { chatter, enrolledPeople, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';
import { RecordingChannel } from '../support/recording-channel';

const ADMIN = 'admin-spread-test';
let world: OutreachWorld;
let channel: RecordingChannel;

// Without workers: nothing is sent, so what waits on the channel stays pending while the coordinator confirms.
beforeAll(async () => {
  channel = new RecordingChannel({ dailyCap: 4 });
  world = await outreachWorld({ env: { ADMIN_IDENTITIES: `test:${ADMIN}` }, channel, workers: false });
});
afterAll(() => world.close());

/** The admin drafts a notice to the course and confirms it; returns the confirmation reply. */
async function broadcast(code: string, text: string): Promise<string> {
  const admin = chatter(world.runtime, ADMIN);
  expect((await admin.say(`/broadcast ${code} ${text}`)).replies[0]!.text).toContain(text);
  return (await admin.say('1')).replies[0]!.text;
}

describe('a notice on a channel with a daily cap', () => {
  it('says nothing about days when it fits under the cap', async () => {
    const course = await createCourse(world.runtime.db);
    await enrolledPeople(world.runtime.db, course.id, 3);
    const reply = await broadcast(course.code, '明天停课');
    expect(reply).toContain('正在发送给 3 人');
    expect(reply).not.toContain('每天最多');
    expect(channel.plans.at(-1)).toBe(3);
  });

  it('tells the coordinator how many days it takes and when it ends, counting what already waits', async () => {
    // The first notice's 3 messages are still waiting (no worker runs): they go before this one's 3.
    const course = await createCourse(world.runtime.db);
    await enrolledPeople(world.runtime.db, course.id, 3);
    const reply = await broadcast(course.code, '周六改到201教室');
    expect(channel.plans.at(-1)).toBe(6);
    expect(reply).toContain('正在发送给 3 人');
    expect(reply).toContain('为避免测试账号被限制，每天最多主动发送 4 条消息');
    expect(reply).toContain('这次经测试发送的 3 条会分 2 天发出');
    // The channel's plan ends tomorrow at 08:00 UTC plus 2 s: 16:00 in Zhaotong.
    expect(reply).toMatch(/预计 \d+月\d+日 周. 16:00 前全部发完/);

    // Asked later, the delivery report says what is still waiting and until when.
    const report = (await chatter(world.runtime, ADMIN).say(`投递报告 ${course.code}`)).replies[0]!.text;
    expect(report).toContain('等待中 3');
    expect(report).toMatch(
      /测试每天最多主动发送 4 条消息：还有 3 条在等待，预计 \d+月\d+日 周. 16:00 前全部发完/,
    );
  });
});
