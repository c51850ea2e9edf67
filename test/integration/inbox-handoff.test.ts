import { execFile } from 'node:child_process';
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

/** Monday 10:00 in Asia/Shanghai: inside the default office hours (Mon-Fri 09:00-17:30). */
const MONDAY_10 = new Date('2026-12-07T02:00:00Z');
/** Saturday 10:00 in Asia/Shanghai: outside them; staff are back Monday 09:00. */
const SATURDAY_10 = new Date('2026-12-12T02:00:00Z');

describe('staff inbox: a handoff from the dialog to a staff reply and back', () => {
  let runtime: Runtime;
  let channel: RecordingChannel;
  let env: NodeJS.ProcessEnv;
  let now = MONDAY_10;

  beforeAll(async () => {
    const prefix = uniquePrefix('inbox');
    const { url } = await isolatedDb('inbox');
    channel = new RecordingChannel();
    const config = outreachConfig(url, prefix);
    runtime = await createRuntime(config, createLogger(config.LOG_LEVEL), {
      channels: [channel],
      clock: () => now,
    });
    await runtime.startWorkers();
    env = cliEnv('inbox', { DATABASE_URL: url, QUEUE_PREFIX: prefix });
  });
  afterAll(async () => {
    await runtime?.close();
  });

  async function jineng(...args: string[]) {
    const { stdout } = await run(process.execPath, [BIN, ...args], { env, timeout: 110_000 });
    return stdout;
  }
  const listed = async () =>
    (await jineng('inbox', 'list', '--json'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('转人工 in office hours: the user is told staff reply here; the operator sees it; the reply arrives; the bot keeps quiet until 退出', async () => {
    now = MONDAY_10;
    const user = chatter(runtime);
    const asked = await user.say('转人工');
    expect(allText(asked)).toContain('工作人员会在这里回复您，通常在 30 分钟内');

    const items = await listed();
    const item = items.find((i) => i['user'] === user.id);
    expect(item).toMatchObject({ kind: 'handoff', channel: 'test', text: '转人工' });
    expect(typeof item!['waiting_s']).toBe('number');

    const outcome = await runtime.inbox.reply(ADMIN, String(item!['id']), {
      text: '您好，我是镇雄县就业服务中心的小李',
      account: 'staff-li',
    });
    expect(outcome.status).toBe('queued');
    const [sent] = await channel.waitForSends(1);
    // The first staff reply takes the conversation, and says how to leave it.
    expect(sent).toMatchObject({
      chatId: user.id,
      text: '【工作人员】您好，我是镇雄县就业服务中心的小李\n（工作人员在线时我先不插话；发送“退出”可回到自动服务。）',
    });

    // A retried reply (same text) is not sent twice.
    await runtime.inbox.reply(ADMIN, String(item!['id']), {
      text: '您好，我是镇雄县就业服务中心的小李',
      account: 'staff-li',
    });

    const quiet = await user.say('我想问一下电工培训有没有补贴，我的电话13812345678');
    expect(quiet.replies).toEqual([]);
    const detail = await runtime.inbox.get(ADMIN, String(item!['id']));
    expect(detail!.status).toBe('claimed');
    const said = detail!.transcript.map((l) => `${l.who}:${l.text}`);
    expect(said).toContain('user:我想问一下电工培训有没有补贴，我的电话138****5678');
    expect(said.join('\n')).not.toContain('13812345678');
    expect(said).toContain('staff:您好，我是镇雄县就业服务中心的小李');

    const back = await user.say('退出');
    expect(allText(back)).toContain('已回到自动服务');
    const greeting = await user.say('你好');
    expect(greeting.intent).toBe('greeting');
    expect(channel.sentTo(user.id)).toHaveLength(1);
  });

  it('a held conversation goes back to the bot after the configured silence', async () => {
    now = MONDAY_10;
    const user = chatter(runtime);
    await user.say('我要找工作人员');
    const id = (await runtime.inbox.listForAccount(ADMIN)).find((i) => i.user === user.id)!.id;
    expect(await runtime.inbox.claim(ADMIN, id, 'staff-wang')).toBe('claimed');
    expect((await user.say('在吗')).replies).toEqual([]);
    now = new Date(MONDAY_10.getTime() + 31 * 60_000);
    const after = await user.say('你好');
    expect(allText(after)).toContain('工作人员暂时没有回复');
    expect(after.intent).toBe('greeting');
  });

  it('outside office hours: says when staff are back and takes a callback request with the phone on file', async () => {
    now = SATURDAY_10;
    const user = chatter(runtime);
    await user.say('你好');
    await runtime.db.person.update({ where: { id: await user.personId() }, data: { phone: '13912345678' } });
    const asked = await user.say('人工客服');
    const text = allText(asked);
    expect(text).toContain('现在是下班时间');
    expect(text).toContain('周一 09:00');
    expect(asked.replies.at(-1)!.choices).toEqual(['需要回电', '不用，在这里等']);

    const consent = await user.say('1');
    expect(allText(consent)).toContain('139****5678');
    const time = await user.say('1');
    expect(allText(time)).toContain('什么时候');
    const done = await user.say('周一上午');
    expect(allText(done)).toContain('已为您登记回电');

    const item = (await listed()).find((i) => i['user'] === user.id);
    expect(item).toMatchObject({ kind: 'callback' });
    const detail = await runtime.inbox.get(ADMIN, String(item!['id']));
    expect(detail!.callback).toEqual({ phone: '139****5678', time: '周一上午' });
    const transcript = detail!.transcript.map((l) => l.text).join('\n');
    expect(transcript).toContain('139****5678');
    expect(transcript).not.toContain('13912345678');
  });

  it('outside office hours: asked for a phone, another request is answered, not "that is not a number" again', async () => {
    now = SATURDAY_10;
    const user = chatter(runtime);
    await user.say('你好');
    await user.say('人工客服');
    expect(allText(await user.say('需要回电'))).toContain('手机号');
    expect(allText(await user.say('12345'))).toMatch(/手机号|11/);
    const other = await user.say('我的课表');
    expect(other.intent).toBe('schedule.mine');
    expect(allText(other)).not.toContain('手机号');
  });

  it('outside office hours: a typed "需要" takes the call-back offer and a typed number is the phone', async () => {
    now = SATURDAY_10;
    const user = chatter(runtime);
    await user.say('转人工');
    const consent = await user.say('需要');
    expect(allText(consent)).toContain('手机号');
    const time = await user.say('13812345678');
    expect(allText(time)).toContain('什么时候');
    expect(allText(await user.say('明天上午'))).toContain('已为您登记回电');
  });

  it('a complaint gets a tracking number the user can ask about; closing it asks for a rating', async () => {
    now = MONDAY_10;
    const user = chatter(runtime);
    // Reads like a sign-up to the classifier (想 + 培训班); 投诉 makes it a complaint.
    const filed = await user.say('我想投诉这个培训班，老师经常不来上课');
    const trackingNo = /TS-2026-\d{6}/.exec(allText(filed))?.[0];
    expect(trackingNo).toBeDefined();

    expect(allText(await user.say('我的投诉处理得怎么样了'))).toContain('请告诉我投诉编号');
    const status = await user.say(`投诉 ${trackingNo} 进度`);
    expect(allText(status)).toContain('等待工作人员处理');
    const other = chatter(runtime);
    expect(allText(await other.say(`my complaint ${trackingNo}`))).not.toContain('waiting for staff');

    const item = (await runtime.inbox.listForAccount(ADMIN)).find((i) => i.user === user.id)!;
    expect(item).toMatchObject({ kind: 'complaint', trackingNo });
    const before = channel.sentTo(user.id).length;
    const closed = await runtime.inbox.close(ADMIN, item.id, {
      outcome: '已约谈培训机构',
      account: 'staff-li',
    });
    expect(closed).toEqual({ closed: true, ratingAsked: true });
    const sent = await until('the rating question', async () => channel.sentTo(user.id)[before]);
    expect(sent.text).toContain(trackingNo!);
    expect(sent.choices).toHaveLength(5);

    expect(allText(await user.say('5'))).toContain('谢谢您的评价');
    expect((await runtime.inbox.get(ADMIN, item.id))!.rating).toBe(5);
    expect(allText(await user.say(`投诉 ${trackingNo} 进度`))).toContain('已办结。处理结果：已约谈培训机构');
  });

  it('asking again, even after the chat session expired, finds the open item instead of opening another', async () => {
    now = MONDAY_10;
    const user = chatter(runtime);
    await user.say('转人工');
    expect(await runtime.redis.del(`${runtime.config.QUEUE_PREFIX}:session:test:${user.id}`)).toBe(1);
    expect(allText(await user.say('我要找工作人员'))).toContain('您的请求已经在等工作人员处理了');
    const mine = (await runtime.inbox.listForAccount(ADMIN)).filter((i) => i.user === user.id);
    expect(mine).toHaveLength(1);
  });

  it('two misunderstandings in a row go to a person', async () => {
    now = MONDAY_10;
    const user = chatter(runtime);
    const first = await user.say('zzqx vvbn');
    expect(first.intent).toBe('unknown');
    const second = await user.say('qqwp xxlm');
    expect(allText(second)).toMatch(/连续两次没能理解|did not understand you twice/);
    expect((await runtime.inbox.listForAccount(ADMIN)).some((i) => i.user === user.id)).toBe(true);
  });

  it('a coordinator sees only items in their scope', async () => {
    now = MONDAY_10;
    const user = chatter(runtime);
    await user.say('你好');
    await runtime.db.person.update({ where: { id: await user.personId() }, data: { county: 'zhenxiong' } });
    await user.say('转人工');
    const mine: CoordinatorAccess = { role: 'coordinator', courseCodes: [], counties: ['zhenxiong'] };
    const elsewhere: CoordinatorAccess = { role: 'coordinator', courseCodes: [], counties: ['weixin'] };
    const item = (await runtime.inbox.listForAccount(mine)).find((i) => i.user === user.id);
    expect(item?.county).toBe('zhenxiong');
    expect((await runtime.inbox.listForAccount(elsewhere)).some((i) => i.user === user.id)).toBe(false);
    expect(await runtime.inbox.get(elsewhere, item!.id)).toBeUndefined();
    const refused = await runtime.inbox.reply(elsewhere, item!.id, { text: '你好', account: 'x' });
    expect(refused).toMatchObject({ status: 'refused', reason: 'not_found' });
  });
});
