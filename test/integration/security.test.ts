import { PassThrough } from 'node:stream';
import { sign } from '@fastify/cookie';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import { loadConfig } from '../../src/config';
import { createHttpServer } from '../../src/http/server';
import { registerWebApp } from '../../src/http/web-app';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import { createConsoleAccounts } from '../../src/services/console-accounts-service';
import { hashPassword } from '../../src/services/password';
import { createCourse } from '../support/fixtures';
import { chatter, enrolledPeople, type OutreachWorld, outreachWorld } from '../support/outreach-runtime';
import { validIdNumber } from '../support/sample-runtime';
import { isolatedDb, uniquePrefix } from '../support/test-env';

/**
 * What an operator promises about personal data and power: only coordinators broadcast or see rosters, on
 * every channel and every HTTP route; ID numbers are neither logged nor stored readable; secrets never logged.
 */

const ID_PATTERN = /\d{17}[\dXx]/;
const SECRET = 's3cret-web-session-0123456789abcdef-XYZ';
const NOT_COORDINATOR = createTranslator().forLocale('zh-CN')('common:notCoordinator');

describe('who may broadcast and see rosters', () => {
  let world: OutreachWorld;
  let app: FastifyInstance;
  const routes: RouteOptions[] = [];
  let course: { id: string; code: string };
  let studentNames: string[];

  beforeAll(async () => {
    world = await outreachWorld({ env: { WEB_SESSION_SECRET: SECRET } });
    course = await createCourse(world.runtime.db);
    const ids = await enrolledPeople(world.runtime.db, course.id, 3);
    studentNames = ids.map((_, i) => `学员保密${i}号`);
    for (const [i, id] of ids.entries())
      await world.runtime.db.person.update({
        where: { id },
        data: { realName: studentNames[i], phone: `1390000${String(i).padStart(4, '0')}` },
      });
    app = createHttpServer(world.runtime);
    app.addHook('onRoute', (route) => {
      routes.push(route);
    });
    await registerWebApp(app, world.runtime);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await world?.close();
  });

  it('refuses a notice from someone who is not a coordinator, on the chat, and sends nothing', async () => {
    const stranger = chatter(world.runtime);
    await stranger.say('你好');
    for (const text of [
      `通知${course.code}:明天上午9点改到201教室`,
      `群发:${course.code} 周六补课`,
      '给所有学员发通知 明天停课',
      `${course.code} 的通知发送情况`,
    ]) {
      const reply = await stranger.say(text);
      const said = reply.replies.map((r) => r.text).join('\n');
      expect(said).not.toContain(studentNames[0]!);
      if (reply.intent.startsWith('broadcast')) expect(said).toContain(NOT_COORDINATOR);
      // Even pressing "send" (the confirm button of a broadcast preview) does nothing.
      await stranger.say('1');
    }
    expect(await world.runtime.db.broadcast.count({ where: { courseId: course.id } })).toBe(0);
    expect(await world.runtime.db.delivery.count()).toBe(0);
    const refusals = await world.runtime.db.auditLog.count({
      where: { actorId: await stranger.personId(), action: 'coordinator.refused' },
    });
    expect(refusals).toBeGreaterThan(0);
  });

  async function signedInWithoutRole(): Promise<string> {
    const person = await world.runtime.db.person.create({
      data: {
        consoleAccount: {
          create: { username: `norole${Date.now()}`, passwordHash: await hashPassword('a-long-password') },
        },
      },
      include: { consoleAccount: true },
    });
    const accounts = createConsoleAccounts(world.runtime.db, world.runtime.coordinators, 12);
    const outcome = await accounts.signIn(person.consoleAccount!.username, 'a-long-password');
    if (outcome.status !== 'ok') throw new Error('sign-in failed');
    return sign(outcome.token, SECRET);
  }

  const concrete = (url: string) =>
    url
      .replace(/:code/g, course.code)
      .replace(/:id|:broadcastId|:sessionId|:personId|:enrolmentId/g, '00000000-0000-4000-8000-000000000000')
      .replace(/:[A-Za-z]+/g, 'x')
      .replace(/\*$/, 'x');

  it('keeps every console and admin route closed to visitors and to accounts without a coordinator role', async () => {
    const cookie = await signedInWithoutRole();
    const guarded = routes.filter(
      (r) =>
        (r.url.startsWith('/console') || r.url.startsWith('/admin')) &&
        !['/console/login', '/console/assets/console.css'].includes(r.url),
    );
    expect(guarded.length).toBeGreaterThan(10);
    const seen: string[] = [];
    for (const route of guarded) {
      for (const method of [route.method].flat()) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        const url = concrete(route.url);
        for (const who of [undefined, `jineng_console=${cookie}`]) {
          const response = await app.inject({
            method,
            url,
            headers: who ? { cookie: who } : {},
            ...(method === 'POST' ? { payload: { text: 'x', _csrf: 'x' } } : {}),
          });
          const what = `${method} ${url} as ${who ? 'signed in without a role' : 'a visitor'}: ${response.statusCode}`;
          seen.push(what);
          const refused =
            [401, 403].includes(response.statusCode) ||
            (response.statusCode === 302 && response.headers.location === '/console/login');
          expect(refused, what).toBe(true);
          for (const name of studentNames) expect(response.body, what).not.toContain(name);
          expect(response.body, what).not.toMatch(/1390000\d{4}/);
        }
      }
    }
    const methods = guarded.flatMap((r) => [r.method].flat()).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
    expect(seen.length).toBe(methods.length * 2);
  });

  it('shows a coordinator only the rosters of their own courses', async () => {
    const mine = await createCourse(world.runtime.db);
    const { code } = await world.runtime.coordinators.createInvite({
      role: 'coordinator',
      courseCodes: [mine.code],
      counties: [],
      expiresDays: 1,
      createdBy: 'test',
    });
    const accounts = createConsoleAccounts(world.runtime.db, world.runtime.coordinators, 12);
    const outcome = await accounts.signUpWithInvite({
      code,
      username: `scoped${Date.now()}`,
      password: 'a-long-password',
      locale: 'zh-CN',
    });
    if (outcome.status !== 'ok') throw new Error(`sign-up failed: ${outcome.status}`);
    const cookie = `jineng_console=${sign(outcome.token, SECRET)}`;
    const own = await app.inject({ url: `/console/courses/${mine.code}/roster`, headers: { cookie } });
    expect(own.statusCode).toBe(200);
    for (const suffix of ['', '.csv', '.xlsx']) {
      const other = await app.inject({
        url: `/console/courses/${course.code}/roster${suffix}`,
        headers: { cookie },
      });
      expect([403, 404]).toContain(other.statusCode);
      for (const name of studentNames) expect(other.body).not.toContain(name);
    }
  });

  it('shows no one else on the web chat, and a forged console cookie is no session', async () => {
    const forged = `jineng_console=${sign('A'.repeat(43), 'not-the-secret-0123456789abcdefghij')}`;
    const roster = await app.inject({
      url: `/console/courses/${course.code}/roster.csv`,
      headers: { cookie: forged },
    });
    expect([302, 401, 403]).toContain(roster.statusCode);
    expect(roster.body).not.toContain(studentNames[0]!);
    const events = await app.inject({
      url: '/api/webchat/events',
      headers: { 'x-webchat-session': 'A'.repeat(43) },
    });
    expect([401, 404]).toContain(events.statusCode);
  });
});

describe('personal data and secrets in logs and in the database', () => {
  let runtime: Runtime;
  const lines: string[] = [];
  const secrets = {
    PII_ENCRYPTION_KEY: 'c'.repeat(64),
    PII_HASH_KEY: 'd'.repeat(64),
    WEB_SESSION_SECRET: SECRET,
    METRICS_TOKEN: 'metrics-token-0123456789',
    TELEGRAM_BOT_TOKEN: '123456789:AAF-secret-telegram-token-xyz',
    TELEGRAM_WEBHOOK_SECRET: 'webhook-secret-0123456789',
  };

  beforeAll(async () => {
    const { url } = await isolatedDb('security');
    const config = loadConfig({
      DATABASE_URL: url,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: uniquePrefix('sec'),
      SEED_SAMPLE_DATA: 'never',
      LOG_LEVEL: 'trace',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:1',
      ...secrets,
    });
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const logger = createLogger(config.LOG_LEVEL, stream);
    runtime = await createRuntime(config, logger);
    // The ways a careless line could log the configuration: whole, as a field, or inside an error.
    logger.info(config, 'configuration');
    logger.info({ config }, 'configuration as a field');
    logger.debug({ settings: config }, 'configuration nested');
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('logs no ID number during a whole sign-up that types one, and stores it only encrypted', async () => {
    const course = await createCourse(runtime.db, { realNameRequired: true });
    const id = validIdNumber(417);
    const who = `sec-${Date.now()}`;
    const say = (text: string) =>
      runtime.engine.handle({
        id: `${who}:${Math.random()}`,
        address: { channel: 'converse', chatId: who },
        senderId: who,
        text,
        receivedAt: new Date(),
      });
    await say(`报名 ${course.code}`);
    await say('1');
    await say('李保密');
    await say('13800004170');
    await say('同意');
    const last = await say(id);
    await say(`我的身份证号是${id}，帮我查一下`);
    await say(id.toLowerCase());
    await say(`${id.slice(0, 17)}x`);
    runtime.logger.debug({ text: `typed ${id}` }, `a message that quotes ${id}`);
    runtime.logger.error(new Error(`failed for ${id}`));

    // The sign-up really took the ID number (otherwise this proves nothing).
    const row = await runtime.db.$queryRawUnsafe<Array<Record<string, unknown>>>(
      'SELECT * FROM people WHERE id_number_hash IS NOT NULL',
    );
    expect(row.length, JSON.stringify(last)).toBe(1);
    expect(JSON.stringify(row)).not.toContain(id);
    expect(JSON.stringify(row)).not.toContain(id.slice(6, 14)); // not even the birth date in clear
    expect(String(row[0]!.id_number_enc)).toMatch(/^v1:/);

    await new Promise((r) => setImmediate(r));
    expect(lines.length).toBeGreaterThan(3);
    const leaking = lines.filter((l) => ID_PATTERN.test(l));
    expect(leaking).toEqual([]);
  });

  it('never writes a secret setting to the log', async () => {
    await new Promise((r) => setImmediate(r));
    const all = lines.join('\n');
    for (const [name, value] of Object.entries(secrets)) expect(all, name).not.toContain(value);
    expect(all).toContain('configuration');
  });
});
