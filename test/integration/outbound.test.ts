import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_JOB } from '../../src/delivery/outbound-job';
import { announceChannels } from '../../src/jobs/channel-heartbeat';
import { createCourse } from '../support/fixtures';
import {
  chatter,
  enrolledPeople,
  type OutreachWorld,
  outreachWorld,
  until,
} from '../support/outreach-runtime';
import { RecordingChannel } from '../support/recording-channel';

let world: OutreachWorld;
const channel = new RecordingChannel();

beforeAll(async () => {
  world = await outreachWorld({ channel });
});
afterAll(() => world.close());

async function onePerson(): Promise<string> {
  const course = await createCourse(world.runtime.db);
  const [id] = await enrolledPeople(world.runtime.db, course.id, 1);
  return id!;
}

async function send(personId: string, text: string) {
  const key = `test:${randomUUID()}`;
  await world.runtime.delivery.outbox.enqueue([
    { key, kind: 'test', personId, address: { channel: 'test', chatId: personId }, message: { text } },
  ]);
  return key;
}

const delivery = (key: string) => world.runtime.db.delivery.findUniqueOrThrow({ where: { key } });
const settled = (key: string) =>
  until(`delivery ${key} to settle`, async () => {
    const d = await delivery(key);
    return d.status === 'sent' || d.status === 'failed' ? d : undefined;
  });

describe('outbound queue against Redis and PostgreSQL', () => {
  it('delivers a message once and marks its row sent', async () => {
    const personId = await onePerson();
    const key = await send(personId, '明天上午9点改到201教室');
    const d = await settled(key);
    expect(d).toMatchObject({ status: 'sent', attempts: 1, inDoubt: false });
    expect(d.sentAt).toBeInstanceOf(Date);
    expect(channel.sentTo(personId).map((s) => s.text)).toEqual(['明天上午9点改到201教室']);
  });

  it('treats a repeated or duplicated job for the same key as a no-op', async () => {
    const personId = await onePerson();
    const key = await send(personId, 'once');
    await settled(key);
    // The same message queued again, and a job added behind BullMQ's back with a different job id.
    await world.runtime.delivery.outbox.enqueue([
      {
        key,
        kind: 'test',
        personId,
        address: { channel: 'test', chatId: personId },
        message: { text: 'once' },
      },
    ]);
    const queue = world.runtime.delivery.outbox.queueFor('test');
    const rogue = await queue.add(OUTBOUND_JOB, { key, channel: 'test', chatId: personId });
    await until('the rogue job to finish', async () => (await queue.getJobState(rogue.id!)) === 'completed');
    expect((await queue.getJob(rogue.id!))?.returnvalue).toBe('noop:done');
    expect(channel.sentTo(personId)).toHaveLength(1);
  });

  it('waits out a 429 with retry_after, then delivers once', async () => {
    const personId = await onePerson();
    channel.failNext('rate_limited', { chatId: personId, retryAfterMs: 1_500 });
    const started = Date.now();
    const key = await send(personId, 'after the pause');
    const d = await settled(key);
    expect(d.status).toBe('sent');
    expect(channel.sentTo(personId)).toHaveLength(1);
    expect(channel.sentTo(personId)[0]!.at - started).toBeGreaterThanOrEqual(1_400);
    expect(d.attempts).toBe(2);
  });

  it('pauses for a retry time that is not a whole number of milliseconds, without using up attempts', async () => {
    const personId = await onePerson();
    channel.failNext('rate_limited', { chatId: personId, retryAfterMs: 1_200.7 });
    const key = await send(personId, 'after an uneven pause');
    const d = await settled(key);
    expect(d.status).toBe('sent');
    expect(channel.sentTo(personId)).toHaveLength(1);
    const job = await world.runtime.delivery.outbox.queueFor('test').getJob(key.replaceAll(':', '.'));
    // A rate limit is not a failed attempt (a failed pause would have counted one).
    expect(job?.attemptsMade).toBe(1);
  });

  it('gives an open row whose job already finished a new job on the next sweep, and sends it once', async () => {
    // What a database outage longer than the retries leaves: the job finished, its row is still open.
    const personId = await onePerson();
    const key = await send(personId, 'left open');
    await settled(key);
    expect(channel.sentTo(personId)).toHaveLength(1);
    const queue = world.runtime.delivery.outbox.queueFor('test');
    await until(
      'the job to finish',
      async () => (await queue.getJobState(key.replaceAll(':', '.'))) === 'completed',
    );
    await world.runtime.db.delivery.update({
      where: { key },
      data: { status: 'pending', sentAt: null, createdAt: new Date(Date.now() - 120_000) },
    });
    const { requeued } = await world.runtime.sweep();
    expect(requeued).toBeGreaterThanOrEqual(1);
    expect((await settled(key)).status).toBe('sent');
    expect(channel.sentTo(personId)).toHaveLength(2);
  });

  it('marks a user who blocked the bot unreachable and does not retry', async () => {
    const personId = await onePerson();
    channel.failNext('blocked', { chatId: personId });
    const before = channel.attempts;
    const key = await send(personId, 'you blocked me');
    const d = await settled(key);
    expect(d).toMatchObject({ status: 'failed', error: 'blocked', attempts: 1 });
    const identity = await world.runtime.db.channelIdentity.findFirstOrThrow({ where: { personId } });
    expect(identity.unreachableAt).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 600)); // several backoff periods: a retry would have happened
    expect(channel.attempts - before).toBe(1);
    expect(channel.sentTo(personId)).toHaveLength(0);
    const job = await world.runtime.delivery.outbox.queueFor('test').getJob(key.replaceAll(':', '.'));
    expect(job?.attemptsMade).toBe(1);
    // Later messages to that person are recorded as undeliverable instead of being tried.
    const next = `test:${randomUUID()}`;
    const address = (await world.runtime.delivery.recipients.reachable([personId])).get(personId);
    await world.runtime.delivery.outbox.enqueue([
      { key: next, kind: 'test', personId, address, message: { text: 'x' } },
    ]);
    expect(await delivery(next)).toMatchObject({ status: 'failed', error: 'no_reachable_channel' });
  });

  it('retries network errors with backoff and then delivers', async () => {
    const personId = await onePerson();
    channel.failNext('network', { chatId: personId, times: 2 });
    const key = await send(personId, 'third time lucky');
    const d = await settled(key);
    expect(d).toMatchObject({ status: 'sent', attempts: 3 });
    expect(channel.sentTo(personId)).toHaveLength(1);
  });

  it('gives up on network errors after the configured attempts, recording why', async () => {
    const personId = await onePerson();
    channel.failNext('network', { chatId: personId, times: 10 });
    const d = await settled(await send(personId, 'never'));
    expect(d.status).toBe('failed');
    expect(d.error).toMatch(/^network: /);
    expect(d.attempts).toBe(4);
  });

  it('records rejected and out-of-window messages as failed without retrying', async () => {
    const a = await onePerson();
    const b = await onePerson();
    channel.failNext('invalid', { chatId: a });
    channel.failNext('outside_window', { chatId: b });
    const [da, db] = await Promise.all([settled(await send(a, 'bad')), settled(await send(b, 'late'))]);
    expect(da).toMatchObject({ status: 'failed', attempts: 1 });
    expect(da.error).toMatch(/^invalid: /);
    expect(db).toMatchObject({ status: 'failed', error: 'outside_window', attempts: 1 });
  });

  it('waits for a row that is still being written when its job starts, then delivers', async () => {
    const personId = await onePerson();
    const key = `test:${randomUUID()}`;
    // The job first, the row 700 ms later: how a broadcast's jobs race its still-open transaction.
    await world.runtime.delivery.outbox.dispatch([{ key, channel: 'test', chatId: personId }]);
    await new Promise((r) => setTimeout(r, 700));
    await world.runtime.delivery.ledger.createMany([
      { key, kind: 'test', personId, channel: 'test', chatId: personId, message: { text: 'late row' } },
    ]);
    expect(await settled(key)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(channel.sentTo(personId).map((s) => s.text)).toEqual(['late row']);
  });

  it('records a message with no reachable chat as failed, and queues nothing for it', async () => {
    const key = `test:${randomUUID()}`;
    const result = await world.runtime.delivery.outbox.enqueue([
      { key, kind: 'test', message: { text: 'x' } },
    ]);
    expect(result).toEqual({ queued: 0, failed: 1 });
    expect(await delivery(key)).toMatchObject({ status: 'failed', error: 'no_reachable_channel' });
  });
});

describe('a channel this deployment does not run', () => {
  it('has messages waiting over a day failed by the sweep as switched off, not kept open for ever', async () => {
    const personId = await onePerson();
    const row = (key: string, ageMs: number) => ({
      key,
      kind: 'reminder',
      personId,
      channel: 'telegram',
      chatId: '12345',
      message: { text: '上课提醒' },
      createdAt: new Date(Date.now() - ageMs),
    });
    const [old, recent] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    await world.runtime.db.delivery.createMany({ data: [row(old, 25 * 3_600_000), row(recent, 120_000)] });
    await world.runtime.sweep();
    expect(await delivery(old)).toMatchObject({ status: 'failed', error: 'channel_off' });
    // Younger than a day: perhaps the process that runs it is restarting, or Redis lost its word for a while.
    expect(await delivery(recent)).toMatchObject({ status: 'pending' });
  });

  it('keeps them when another process runs that channel (a WeChat account logged in elsewhere)', async () => {
    const personId = await onePerson();
    const key = `test:${randomUUID()}`;
    await world.runtime.db.delivery.create({
      data: {
        key,
        kind: 'reminder',
        personId,
        channel: 'wechat',
        chatId: 'wxid_elsewhere',
        message: { text: '上课提醒' },
        createdAt: new Date(Date.now() - 120_000),
      },
    });
    const { announced, stop } = announceChannels(world.runtime.redis, world.prefix, ['wechat']);
    await announced;
    try {
      await world.runtime.sweep();
      expect(await delivery(key)).toMatchObject({ status: 'pending' });
      const queue = world.runtime.delivery.outbox.queueFor('wechat');
      expect(await queue.getJobState(key.replaceAll(':', '.'))).toBe('waiting');
    } finally {
      stop();
    }
  });
});

describe('a reminder the platform refuses', () => {
  it('leaves the person in the middle of their sign-up, as if it had never been tried', async () => {
    const course = await createCourse(world.runtime.db);
    const who = chatter(world.runtime);
    const detail = await who.say(`报名 ${course.code}`);
    expect(detail.replies.at(-1)!.choices).toEqual(['报名这个班', '看看其他课程']);
    const personId = await who.personId();
    const key = `test:${randomUUID()}`;
    channel.failNext('outside_window', { chatId: who.id });
    await world.runtime.delivery.outbox.enqueue([
      {
        key,
        kind: 'test',
        personId,
        address: { channel: 'test', chatId: who.id },
        message: {
          text: '上课提醒',
          sessionKey: `test:${who.id}`,
          choices: [{ label: '我来不了', action: { type: 'intent', intent: 'help' } }],
        },
      },
    ]);
    expect(await settled(key)).toMatchObject({ status: 'failed', error: 'outside_window' });
    // "1" still means what the course page offered: sign up for this class.
    const next = await who.say('1');
    expect(next.replies.map((r) => r.text).join('\n')).toContain('手机号');
  });
});

describe('a process that cannot send on a channel right now', () => {
  it('puts that one message back for later without holding the others or using up its attempts', async () => {
    const [a, b] = [await onePerson(), await onePerson()];
    channel.failNext('unavailable', { chatId: a, retryAfterMs: 4_000 });
    const before = channel.attempts;
    const keyA = await send(a, 'waits for the login');
    await until('the first try', async () => channel.attempts > before);
    const keyB = await send(b, 'goes at once');
    expect((await settled(keyB)).status).toBe('sent');
    expect((await settled(keyA)).status).toBe('sent');
    // The other message was not held behind it: a queue-wide pause would have sent both after the 4 s.
    expect(channel.sentTo(a)[0]!.at - channel.sentTo(b)[0]!.at).toBeGreaterThan(2_000);
    const job = await world.runtime.delivery.outbox.queueFor('test').getJob(keyA.replaceAll(':', '.'));
    expect(job?.attemptsMade).toBe(1);
  });
});

describe('a reminder falling due while a notice is still going out', () => {
  it('is sent before the notice messages still waiting, not after the last of them', async () => {
    const own = new RecordingChannel();
    // One send at a time and no worker yet: the notice's messages are all waiting when the reminder comes.
    const busy = await outreachWorld({ channel: own, workers: false, env: { OUTBOUND_CONCURRENCY: '1' } });
    try {
      const { db, delivery } = busy.runtime;
      const course = await createCourse(db);
      const people = await enrolledPeople(db, course.id, 21);
      const notified = people.slice(0, 20);
      const reminded = people[20]!;
      const notice = randomUUID();
      await delivery.outbox.enqueue(
        notified.map((personId) => ({
          key: `broadcast:${notice}:${personId}`,
          kind: 'broadcast',
          personId,
          address: { channel: 'test' as const, chatId: personId },
          message: { text: '明天上午9点改到201教室' },
        })),
      );
      await delivery.outbox.enqueue([
        {
          key: `test:${randomUUID()}`,
          kind: 'reminder',
          personId: reminded,
          address: { channel: 'test', chatId: reminded },
          message: { text: '提醒:明天上午9点上课' },
        },
      ]);
      busy.runtime.startOutbound(own);
      await until('everything sent', async () => own.sent.length >= 21 || undefined);
      expect(own.sent[0]!.chatId).toBe(reminded);
      expect(new Set(own.sent.map((s) => s.chatId))).toEqual(new Set(people));
    } finally {
      await busy.close();
    }
  });
});
