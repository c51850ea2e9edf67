import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, type person } from '../support/converse';
import { sampleRuntime, signUpByTyping } from '../support/sample-runtime';

// ZX-CS-01 in the sample data is a chef class with 2 seats.
const SMALL = 'ZX-CS-01';
let runtime: Runtime;
beforeAll(async () => {
  runtime = await sampleRuntime('waitlist');
});
afterAll(async () => {
  await runtime.close();
});

const personIdOf = async (externalId: string) =>
  (await runtime.db.channelIdentity.findFirstOrThrow({ where: { externalId } })).personId;

describe('a full course, its waitlist, cancellation and promotion', () => {
  let first: ReturnType<typeof person>;
  let second: ReturnType<typeof person>;
  let third: ReturnType<typeof person>;

  it('confirms two people and puts the third on the waitlist with a position', async () => {
    const a = await signUpByTyping(runtime, 'wa', SMALL, 11);
    const b = await signUpByTyping(runtime, 'wb', SMALL, 12);
    const c = await signUpByTyping(runtime, 'wc', SMALL, 13);
    [first, second, third] = [a.p, b.p, c.p];
    expect(a.last.events).toContainEqual({ type: 'enrolled', course: SMALL });
    expect(b.last.events).toContainEqual({ type: 'enrolled', course: SMALL });
    expect(c.last.events).toContainEqual({ type: 'waitlisted', course: SMALL, position: 1 });
    expect(allText(c.last)).toContain('排第1位');
    const course = await runtime.db.course.findUniqueOrThrow({ where: { code: SMALL } });
    expect(course.seatsTaken).toBe(2);
  });

  it('kindly refuses signing up twice for the same course', async () => {
    await second.say(`报名 ${SMALL}`);
    const again = await second.say('1');
    expect(allText(again)).toContain('不用重复报名');
    expect(again.events).toEqual([]);
  });

  it('cancels after a confirmation and promotes the first person waiting', async () => {
    const asked = await first.say('我不想去了，取消报名');
    expect(asked.intent).toBe('enrol.cancel');
    expect(allText(asked)).toContain(`确定要取消【${SMALL}】`);
    const done = await first.say('1');
    expect(done.events).toContainEqual({ type: 'cancelled', course: SMALL });
    expect(done.events).toContainEqual({
      type: 'promoted',
      course: SMALL,
      person: await personIdOf(third.id),
    });
    const list = await third.say('我的课程');
    expect(allText(list)).toContain('已确认');
  });

  it('deletes a person’s data after confirmation, cancelling their sign-up and keeping an anonymous row', async () => {
    const id = await personIdOf(second.id);
    await second.say('我在镇雄，想学电商');
    // A reminder waiting to go out to them, and one already sent.
    await runtime.db.delivery.createMany({
      data: ['pending', 'sent'].map((status) => ({
        key: `test-delete:${id}:${status}`,
        kind: 'reminder',
        personId: id,
        channel: 'converse',
        chatId: second.id,
        status,
        message: { text: '上课提醒：明天上午9点' },
      })),
    });
    const ask = await second.say('删除我的信息');
    expect(ask.intent).toBe('privacy.delete');
    expect(ask.replies.at(-1)?.choices).toEqual(['确定删除', '不删除']);
    const done = await second.say('确定删除');
    expect(done.events).toContainEqual({ type: 'cancelled', course: SMALL });
    expect(done.events).toContainEqual({ type: 'data_deleted' });
    const row = await runtime.db.person.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      realName: null,
      phone: null,
      idNumberEnc: null,
      idNumberHash: null,
      birthYear: null,
      county: null,
      groups: [],
      interests: [],
    });
    expect(row.deletedAt).toBeInstanceOf(Date);
    const deliveries = await runtime.db.delivery.findMany({
      where: { key: { startsWith: `test-delete:${id}:` } },
      orderBy: { key: 'asc' },
    });
    // The waiting one is not sent; neither keeps its text or chat.
    expect(deliveries.map((d) => [d.status, d.error, d.message, d.chatId])).toEqual([
      ['failed', 'deleted', null, ''],
      ['sent', null, null, ''],
    ]);
    expect(await runtime.db.channelIdentity.count({ where: { personId: id } })).toBe(0);
    expect(await runtime.db.enrolment.findFirstOrThrow({ where: { personId: id } })).toMatchObject({
      status: 'cancelled',
    });
    // Writing again starts over as a new person.
    const hello = await second.say('你好');
    expect(hello.intent).toBe('greeting');
    expect(await personIdOf(second.id)).not.toBe(id);
  });
});

describe('two messages from one person at the same moment', () => {
  it('never enrols twice', async () => {
    const a = await signUpByTyping(runtime, 'race', 'ZX-DS-01', 21);
    expect(a.last.events).toContainEqual({ type: 'enrolled', course: 'ZX-DS-01' });
    await a.p.say('取消报名');
    await a.p.say('1');
    await a.p.say('报名 ZX-DS-01');
    const results = await Promise.all([a.p.say('1'), a.p.say('1'), a.p.say('报名这个班')]);
    const enrolled = results.flatMap((r) => r.events).filter((e) => e.type === 'enrolled');
    expect(enrolled).toHaveLength(1);
    const personId = await personIdOf(a.p.id);
    expect(await runtime.db.enrolment.count({ where: { personId, status: 'confirmed' } })).toBe(1);
  });
});
