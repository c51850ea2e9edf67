import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/app/compose';
import type { CoordinatorAccess } from '../../src/core/outreach-ports';
import { createLogger } from '../../src/logger';
import { allText } from '../support/converse';
import { chatter, outreachConfig, until } from '../support/outreach-runtime';
import { RecordingChannel } from '../support/recording-channel';
import { cliEnv, isolatedDb, uniquePrefix } from '../support/test-env';

const run = promisify(execFile);
const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;
const ADMIN: CoordinatorAccess = { role: 'admin', courseCodes: [], counties: [] };
/** Tuesday 11:00 in Asia/Shanghai: office hours. */
const TUESDAY_11 = new Date('2026-12-08T03:00:00Z');

describe('staff inbox: what a reply can reach, and the way in from an unanswerable question', () => {
  let runtime: Runtime;
  let env: NodeJS.ProcessEnv;
  let now = TUESDAY_11;

  beforeAll(async () => {
    const prefix = uniquePrefix('inboxr');
    const { url } = await isolatedDb('inboxr');
    // An Official Account deployment: replies only within 48 h of the person's last message.
    const config = outreachConfig(url, prefix, { WECHAT_ACCOUNT_KIND: 'official' });
    runtime = await createRuntime(config, createLogger(config.LOG_LEVEL), {
      channels: [new RecordingChannel()],
      clock: () => now,
    });
    env = cliEnv('inboxr', { DATABASE_URL: url, QUEUE_PREFIX: prefix, WECHAT_ACCOUNT_KIND: 'official' });
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('a reply to a WeChat user who last wrote three days ago is refused with the reason, by the service and the CLI', async () => {
    await runtime.engine.handle({
      id: 'wx-1',
      address: { channel: 'wechat', chatId: 'wx-user-1' },
      senderId: 'wx-user-1',
      text: '我要找工作人员',
      receivedAt: TUESDAY_11,
    });
    await runtime.db.channelIdentity.updateMany({
      where: { channel: 'wechat', externalId: 'wx-user-1' },
      data: { lastInboundAt: new Date(Date.now() - 3 * 86_400_000) },
    });
    const item = (await runtime.inbox.listForAccount(ADMIN)).find((i) => i.user === 'wx-user-1');
    expect(item).toMatchObject({ kind: 'handoff', channel: 'wechat' });

    const outcome = await runtime.inbox.reply(ADMIN, item!.id, { text: '您好', account: 'staff' });
    expect(outcome).toMatchObject({ status: 'refused', reason: 'outside_window' });
    if (outcome.status === 'refused') expect(outcome.message).toContain('48 h');

    const cli = await run(process.execPath, [BIN, 'inbox', 'reply', item!.id, '--text', '您好'], {
      env,
      timeout: 110_000,
    }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in cli && cli.code).toBe(1);
    expect((cli as { stderr: string }).stderr).toMatch(/reply refused \(outside_window\).*48 h/);
    expect(await runtime.db.delivery.count({ where: { kind: 'inbox_reply' } })).toBe(0);
  });

  it('a question the plan cannot answer offers a person, and accepting it opens a handoff', async () => {
    const user = chatter(runtime);
    const abstained = await user.say('医保怎么交？');
    expect(abstained.answer).toBe('abstain');
    const offer = abstained.replies.at(-1)!.choices!;
    const index = offer.findIndex((c) => c.includes('工作人员') || c.includes('人工') || c.includes('热线'));
    expect(index).toBeGreaterThanOrEqual(0);
    const accepted = await user.say(String(index + 1));
    expect(allText(accepted)).toContain('工作人员会在这里回复您');
    const item = (await runtime.inbox.listForAccount(ADMIN)).find((i) => i.user === user.id);
    expect(item?.kind).toBe('handoff');
  });

  it('asking in English is answered in English, with the same promise', async () => {
    const user = chatter(runtime);
    const asked = await user.say('Can I talk to a real person please?');
    expect(allText(asked)).toContain('A staff member will reply here, usually within 30 minutes.');
    const filed = await user.say('I want to complain about the teacher');
    expect(allText(filed)).toContain('Your request is already waiting for staff.');
  });

  it('coordinators whose scope holds a waiting person get a short alert on their chat; others do not', async () => {
    const staff = async (county: string) => {
      const id = randomUUID();
      await runtime.db.person.create({ data: { id } });
      await runtime.db.channelIdentity.create({
        data: { channel: 'test', externalId: id, chatId: id, personId: id, lastInboundAt: new Date() },
      });
      await runtime.db.coordinator.create({ data: { personId: id, countyScope: [county] } });
      return id;
    };
    const zhenxiong = await staff('zhenxiong');
    const weixin = await staff('weixin');
    const user = chatter(runtime);
    await user.say('你好');
    await runtime.db.person.update({ where: { id: await user.personId() }, data: { county: 'zhenxiong' } });
    await user.say('转人工');
    const alert = await until(
      'the alert',
      async () =>
        (await runtime.db.delivery.findFirst({ where: { kind: 'inbox_alert', personId: zhenxiong } })) ??
        undefined,
    );
    expect((alert.message as { text: string }).text).toMatch(/^1 人在等人工，最久 \d+ 分钟。/);
    expect(await runtime.db.delivery.count({ where: { kind: 'inbox_alert', personId: weixin } })).toBe(0);
  });

  it('an item waiting longer than INBOX_ESCALATE_MINUTES is escalated to the admins by the sweep, once', async () => {
    const admin = randomUUID();
    await runtime.db.person.create({ data: { id: admin } });
    await runtime.db.channelIdentity.create({
      data: { channel: 'test', externalId: admin, chatId: admin, personId: admin, lastInboundAt: new Date() },
    });
    await runtime.db.coordinator.create({ data: { personId: admin, role: 'admin' } });
    await chatter(runtime).say('人工服务，我要找人帮忙报名');
    now = new Date(TUESDAY_11.getTime() + 61 * 60_000);
    try {
      expect((await runtime.sweep()).inboxEscalations).toBeGreaterThan(0);
      const rows = await runtime.db.delivery.findMany({
        where: { kind: 'inbox_escalation', personId: admin },
      });
      const texts = rows.map((r) => (r.message as { text: string }).text);
      expect(texts.some((t) => /已等人工 6\d 分钟：“人工服务，我要找人帮忙报名”/.test(t))).toBe(true);
      await runtime.sweep();
      expect(await runtime.db.delivery.count({ where: { kind: 'inbox_escalation', personId: admin } })).toBe(
        rows.length,
      );
    } finally {
      now = TUESDAY_11;
    }
  });

  it("erasing one's data removes their inbox items (transcripts, callback numbers)", async () => {
    const user = chatter(runtime);
    await user.say('转人工');
    await user.say('我的电话是13800001111');
    expect((await runtime.inbox.listForAccount(ADMIN)).some((i) => i.user === user.id)).toBe(true);
    await user.say('删除我的信息');
    await user.say('1');
    expect((await runtime.inbox.listForAccount(ADMIN)).some((i) => i.user === user.id)).toBe(false);
  });

  it('`inbox list` shows unanswered questions (the curated-answers log) beside handoffs, without a user', async () => {
    await chatter(runtime).say('转人工');
    expect((await chatter(runtime).say('医保怎么交？')).answer).toBe('abstain');
    // The log is written beside the turn, not in it.
    await until('the question logged', async () => (await runtime.db.unansweredQuestion.count()) > 0);
    const { stdout } = await run(process.execPath, [BIN, 'inbox', 'list', '--json'], {
      env,
      timeout: 110_000,
    });
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; user: string; text: string });
    expect(lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['handoff', 'unanswered']));
    const unanswered = lines.find((l) => l.kind === 'unanswered' && l.text.includes('医保'));
    expect(unanswered?.user).toBe('');
  });
});
