import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRole } from '../../src/app/process-role';
import { createCourse } from '../support/fixtures';
import { enrolledPeople, type OutreachWorld, outreachWorld, until } from '../support/outreach-runtime';
import { RecordingChannel } from '../support/recording-channel';

let world: OutreachWorld;
let channel: RecordingChannel;

// A channel that, like a logged-in WeChat account, can send only from the process that runs it.
beforeAll(async () => {
  channel = new RecordingChannel({ capabilities: { sessionBound: true } });
  world = await outreachWorld({ channel, workers: false });
});
afterAll(() => world.close());

describe('a session-bound channel under split process roles', () => {
  it('is sent from the channels process, never picked up by a workers-only one', async () => {
    const course = await createCourse(world.runtime.db);
    const [personId] = await enrolledPeople(world.runtime.db, course.id, 1);
    const key = `test:${randomUUID()}`;

    // A workers-only process: reminders and the sweep run, but this channel's queue is not its to work.
    await startRole(world.runtime, 'workers');
    await world.runtime.delivery.outbox.enqueue([
      {
        key,
        kind: 'test',
        personId,
        address: { channel: 'test', chatId: personId! },
        message: { text: '明天停课' },
      },
    ]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(channel.sentTo(personId!)).toEqual([]);
    expect((await world.runtime.db.delivery.findUniqueOrThrow({ where: { key } })).status).toBe('pending');

    // The process that runs the channel sends it.
    await startRole(world.runtime, 'channels');
    const [sent] = await until('the notice to be sent', async () => {
      const got = channel.sentTo(personId!);
      return got.length ? got : undefined;
    });
    expect(sent!.text).toBe('明天停课');
  });
});
