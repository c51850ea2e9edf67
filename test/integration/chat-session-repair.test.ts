import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { loadConfig } from '../../src/config';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../../src/db/seed';
import { createLogger } from '../../src/logger';
import { allText, person } from '../support/converse';
import { isolatedDb, uniquePrefix } from '../support/test-env';

/**
 * The conversation state kept between messages (Redis) may be damaged, or written by an older version of the
 * bot. Whatever can be read is kept (a sign-up half done goes on), the person is told when something was
 * lost, and nobody is made to start over for a stored format that merely changed.
 */

let runtime: Runtime;
/** What the operator reads in the log. */
const logged: { msg: string; kind?: string; issues?: string[] }[] = [];
beforeAll(async () => {
  const { db, url } = await isolatedDb('chatsession');
  await seedDatabase(db, {
    now: new Date(),
    sampleJson: readFileSync(SAMPLE_COURSES_FILE, 'utf8'),
    timezone: 'Asia/Shanghai',
  });
  const config = loadConfig({
    DATABASE_URL: url,
    SEED_SAMPLE_DATA: 'never',
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: uniquePrefix('rt'),
    PII_ENCRYPTION_KEY: 'a'.repeat(64),
    PII_HASH_KEY: 'b'.repeat(64),
  });
  const logger = createLogger('warn', { write: (line: string) => void logged.push(JSON.parse(line)) });
  runtime = await createRuntime(config, logger);
});
const problems = () => logged.filter((l) => l.msg === 'chat session repaired');
afterAll(async () => {
  await runtime.close();
});

const keyOf = (p: { id: string }) => `${runtime.config.QUEUE_PREFIX}:session:converse:${p.id}`;
const stored = async (p: { id: string }) => JSON.parse((await runtime.redis.get(keyOf(p)))!);

/** Someone half-way through signing up for a real-name course: name given, the phone number asked. */
async function askedForPhone(name: string) {
  const p = person(runtime, name);
  await p.say('报名 ZX-DS-01');
  await p.say('1');
  expect(allText(await p.say('张三'))).toContain('手机');
  return p;
}

describe('a damaged session mid-sign-up', () => {
  it('tells the person and goes on with the sign-up where it was', async () => {
    const p = await askedForPhone('damaged');
    const session = await stored(p);
    expect(session.flow).toMatchObject({ name: 'enrol', step: 'phone', data: { code: 'ZX-DS-01' } });
    await runtime.redis.set(keyOf(p), JSON.stringify({ ...session, choices: 'broken', seen: 42 }));

    const next = await p.say('13812345678');
    const text = allText(next);
    expect(text).toContain('对话记录出了点问题');
    // The sign-up went on: the number was taken and the next question (consent to the ID number) asked.
    expect(text).toContain('同意');
    expect(text).not.toContain('11位');
    expect(await stored(p)).toMatchObject({
      v: 1,
      flow: { name: 'enrol', step: 'id_consent', data: { code: 'ZX-DS-01' } },
    });
    expect((await stored(p)).repair).toBeUndefined();
    // Told once, not on every message; the operator can see what was wrong, not what was typed.
    expect(allText(await p.say('同意'))).not.toContain('对话记录出了点问题');
    const entry = problems().find(
      (l) => l.kind === 'repaired' && l.issues?.some((i) => i.startsWith('choices')),
    );
    expect(entry?.issues).toEqual([expect.stringMatching(/^choices/), expect.stringMatching(/^seen/)]);
    expect(JSON.stringify(entry)).not.toContain('13812345678');
  });

  it('tells the person when nothing could be read, in their language, and answers what they asked', async () => {
    const p = person(runtime, 'garbled');
    await p.say('hello');
    await runtime.redis.set(keyOf(p), '{"locale": "en", "choi');
    const next = await p.say('hello');
    expect(allText(next)).toContain('something went wrong with the record of our conversation');
    expect(next.intent).toBe('greeting');
  });

  it('restarts a flow politely when its stored data does not fit its step', async () => {
    const p = await askedForPhone('badflowdata');
    const session = await stored(p);
    await runtime.redis.set(keyOf(p), JSON.stringify({ ...session, flow: { ...session.flow, data: {} } }));
    const next = await p.say('我报了哪些课');
    expect(allText(next)).toContain('重新开始');
    expect(next.intent).toBe('enrol.list');
  });
});

describe('a session stored by an earlier version', () => {
  it('migrates an unversioned session and carries on with its sign-up, saying nothing about it', async () => {
    const p = await askedForPhone('unversioned');
    const { v: _v, ...session } = await stored(p);
    const { version: _version, ...flow } = session.flow;
    await runtime.redis.set(keyOf(p), JSON.stringify({ ...session, flow }));

    const next = await p.say('13812345679');
    const text = allText(next);
    expect(text).not.toContain('对话记录出了点问题');
    expect(text).not.toContain('重新开始');
    expect(text).toContain('同意');
    expect(await stored(p)).toMatchObject({ v: 1, flow: { name: 'enrol', version: 1, step: 'id_consent' } });
  });

  it('restarts a flow of another version politely and answers the message as a fresh one', async () => {
    const p = await askedForPhone('oldflow');
    const session = await stored(p);
    await runtime.redis.set(keyOf(p), JSON.stringify({ ...session, flow: { ...session.flow, version: 99 } }));
    const next = await p.say('13812345670');
    expect(allText(next)).toContain('系统在我们上次对话后更新过');
    expect(problems()).toContainEqual(
      expect.objectContaining({ kind: 'flow_version', issues: ['enrol: version 99'] }),
    );
    expect((await stored(p)).flow?.name).not.toBe('enrol');
  });
});
