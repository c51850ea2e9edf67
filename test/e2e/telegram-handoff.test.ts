import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { telegramSuite } from '../support/telegram-suite';
import { cliEnv } from '../support/test-env';

const run = promisify(execFile);
const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;

describe('telegram: asking for a person, answered by staff from the command line', () => {
  // Staff are always in, so the test does not depend on the day it runs.
  const suite = telegramSuite({
    env: { OFFICE_HOURS: 'Mon-Sun 00:00-24:00', INBOX_REPLY_MINUTES: '15' },
    workers: true,
    isolated: 'tghandoff',
  });

  async function jineng(...args: string[]) {
    const env = cliEnv('tghandoff', {
      DATABASE_URL: suite.runtime.databaseUrl,
      QUEUE_PREFIX: suite.runtime.config.QUEUE_PREFIX,
    });
    return (await run(process.execPath, [BIN, ...args], { env, timeout: 110_000 })).stdout;
  }

  it('转人工 → the item is listed → a staff reply arrives in Telegram → the bot stays quiet → 退出 → close asks for a rating', async () => {
    const user = suite.emulator.user({ token: suite.token, userId: 7301 });
    await user.send('转人工');
    const [told] = await user.received(1);
    expect(told!.text).toContain('工作人员会在这里回复您，通常在 15 分钟内');

    const items = (await jineng('inbox', 'list', '--json'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; kind: string; channel: string; user: string; text: string });
    const item = items.find((i) => i.channel === 'telegram' && i.user === '7301');
    expect(item).toMatchObject({ kind: 'handoff', text: '转人工' });

    expect(await jineng('inbox', 'reply', item!.id, '--text', '您好，我是工作人员小张，请说')).toMatch(
      /^queued /,
    );
    const [reply] = await user.received(1, 20_000);
    expect(reply!.text).toBe(
      '【工作人员】您好，我是工作人员小张，请说\n（工作人员在线时我先不插话；发送“退出”可回到自动服务。）',
    );

    await user.send('我想报电工班，但是不知道要什么材料');
    expect(await user.quiet(1_000)).toEqual([]);

    await user.send('退出');
    const [back] = await user.received(1);
    expect(back!.text).toContain('已回到自动服务');

    expect(await jineng('inbox', 'close', item!.id, '--outcome', '已电话说明报名材料')).toContain(
      'rating asked',
    );
    const [rating] = await user.received(1, 20_000);
    expect(rating!.buttons.map((b) => b.text)).toHaveLength(5);
    await user.press(rating!, 4);
    const [thanks] = await user.received(1);
    expect(thanks!.text).toContain('谢谢您的评价');
    const stored = await suite.runtime.inbox.get({ role: 'admin', courseCodes: [], counties: [] }, item!.id);
    expect(stored).toMatchObject({ status: 'closed', rating: 4, outcome: '已电话说明报名材料' });
    expect(stored!.transcript.map((l) => l.text)).toContain('我想报电工班，但是不知道要什么材料');
  });
});
