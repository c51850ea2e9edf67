import { describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../../src/channels/telegram/telegram-channel';
import { createCourse } from '../support/fixtures';
import type { BotMessage, TelegramEmulator } from '../support/telegram';
import { telegramSuite } from '../support/telegram-suite';

/** The whole bot (real runtime, database, Redis, dialog) behind the Telegram channel on the emulator. */
describe('telegram: workers talk to the real bot', () => {
  // A schema of its own, so the course search sees only this file's courses.
  const suite = telegramSuite({ isolated: 'telegram_dialog' });

  const press = (user: ReturnType<TelegramEmulator['user']>, message: BotMessage, label: string) => {
    const index = message.buttons.findIndex((b) => b.text.includes(label));
    if (index < 0) throw new Error(`no "${label}" button under: ${message.text}`);
    return user.press(message, index + 1);
  };

  it('registers its commands in Chinese and English at start-up', () => {
    const menus = suite.emulator.calls.filter((c) => c.method === 'setMyCommands');
    expect(menus.some((c) => c.payload['language_code'] === 'zh')).toBe(true);
    expect(menus.some((c) => c.payload['language_code'] === undefined)).toBe(true);
    expect(suite.runtime.channels.get('telegram')?.capabilities).toMatchObject({
      buttons: true,
      maxTextLength: 4096,
    });
  });

  it('answers a policy question with the clause it comes from', async () => {
    const worker = suite.emulator.user({ token: suite.token, userId: 5001 });
    await worker.send('学徒制企业补贴多少');
    const [answer] = await worker.received(1);
    expect(answer!.text).toContain('依据');
    expect(answer!.text).toContain('4000');
  });

  it('finds a course and signs up by pressing buttons', async () => {
    const course = await createCourse(suite.runtime.db, { realNameRequired: false });
    const worker = suite.emulator.user({ token: suite.token, userId: 5002 });

    await worker.send('我想找个培训课程');
    const [askBasics] = await worker.received(1);
    await worker.send('镇雄 想学电商');
    const [askDetails] = await worker.received(1);
    expect(askDetails!.buttons.length).toBeGreaterThan(0);
    await worker.press(askDetails!, 1); // skip
    const [suggestions] = await worker.received(1);
    await press(worker, suggestions!, course.code);
    const [details] = await worker.received(1);
    expect(details!.text).toContain(course.code);
    await worker.press(details!, 1); // sign up
    const [askPhone] = await worker.received(1);
    expect(askPhone!.buttons).toEqual([]);
    await worker.send('13800138000');
    const [done] = await worker.received(1);
    expect(done!.text).toContain(course.code);
    expect(askBasics!.text).toBeTruthy();

    const identity = await suite.runtime.db.channelIdentity.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: '5002' } },
    });
    const enrolment = await suite.runtime.db.enrolment.findUniqueOrThrow({
      where: { personId_courseId: { personId: identity.personId, courseId: course.id } },
    });
    expect(enrolment.status).toBe('confirmed');
  });

  it('opens a course from a /start deep link and answers /help in the app language', async () => {
    const course = await createCourse(suite.runtime.db, { realNameRequired: false });
    const worker = suite.emulator.user({ token: suite.token, userId: 5003, languageCode: 'en' });
    await worker.send(`/start ${course.code}`);
    const [details] = await worker.received(1);
    expect(details!.text).toContain(course.code);
    expect(details!.text).toContain(`Test course ${course.code}`);
    await worker.send('/help');
    const [help] = await worker.received(1);
    expect(help!.text).toMatch(/what I can do/i);
  });

  it('exposes the channel to the delivery worker through the runtime', async () => {
    const channel = suite.runtime.channels.get('telegram') as TelegramChannel;
    const worker = suite.emulator.user({ token: suite.token, userId: 5004 });
    await channel.send({ channel: 'telegram', chatId: '5004' }, { text: '明天上午9点改到201教室' });
    const [notice] = await worker.received(1);
    expect(notice!.text).toBe('明天上午9点改到201教室');
  });
});
