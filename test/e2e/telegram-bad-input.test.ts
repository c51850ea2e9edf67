import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/i18n';
import { telegramSuite } from '../support/telegram-suite';

const zh = createTranslator().forLocale('zh-CN');
const file = { file_id: 'AgAD', file_unique_id: 'AQAD' };

/** What people send that is not plain text, or not meant for the bot: a polite answer or silence, never a crash. */
describe('telegram: bad input', () => {
  const suite = telegramSuite();
  let nextUser = 8000;
  const newUser = (languageCode?: string) =>
    suite.emulator.user({ token: suite.token, userId: ++nextUser, languageCode });

  const answersOf = (text: string) =>
    suite.emulator.calls.filter((c) => c.method === 'answerCallbackQuery' && c.payload['text'] === text);

  it.each([
    ['a sticker', { sticker: { ...file, type: 'regular', width: 512, height: 512, is_animated: false } }],
    ['a photo', { photo: [{ ...file, width: 90, height: 90 }], caption: '看看这个' }],
    ['a voice note', { voice: { ...file, duration: 3 } }],
    ['a location', { location: { latitude: 27.3, longitude: 103.7 } }],
  ])('answers %s by asking for text', async (_, payload) => {
    const user = newUser();
    await user.send('', payload);
    const [reply] = await user.received(1);
    expect(reply!.text).toBe(zh('common:mediaNotSupported'));
  });

  it('does not act on a forwarded message, and says why', async () => {
    const user = newUser();
    await user.send('取消', {
      forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'Someone' },
    });
    const [reply] = await user.received(1);
    expect(reply!.text).toBe(zh('telegram:notice.forwarded'));
  });

  it('takes a phone number shared with the contact button as typed', async () => {
    const user = newUser();
    await user.send('', {
      contact: { phone_number: '13800138000', first_name: 'Li', user_id: user.userId },
    });
    const [reply] = await user.received(1);
    expect(reply!.text).not.toBe(zh('common:mediaNotSupported'));
  });

  it('greets normally after a garbage /start payload', async () => {
    for (const payload of ['%%%', 'x'.repeat(80), 'ZX-DS-1']) {
      const user = newUser();
      await user.send(`/start ${payload}`);
      const [reply] = await user.received(1);
      expect(reply!.text).toContain(zh('common:greeting').slice(0, 8));
      expect(reply!.buttons.length).toBeGreaterThan(0);
    }
  });

  it('answers stale and forged button presses politely and changes nothing', async () => {
    const user = newUser();
    await user.send('你好');
    const [menu] = await user.received(1);
    await user.send('学徒制企业补贴多少');
    await user.received(1);
    const before = answersOf(zh('telegram:notice.staleButton')).length;

    await user.press(menu!, 2); // a button of the old menu
    await user.pressData('c1.AAAAAAAAAAAA', menu!.messageId); // well-formed, wrong MAC
    await user.pressData('{"course":"ZX-DS-01"}'); // not ours at all
    await user.pressData(menu!.buttons[0]!.data.replace(/^c1/, 'c9')); // an index that was never offered
    expect(await user.quiet(400)).toEqual([]);
    expect(answersOf(zh('telegram:notice.staleButton')).length - before).toBe(4);
  });

  it('answers a current button exactly as typing its number, and stops its spinner', async () => {
    const presser = newUser('en');
    const typist = newUser('en');
    for (const u of [presser, typist]) await u.send('hello');
    const [menu] = await presser.received(1);
    await typist.received(1);
    const pick = menu!.buttons.findIndex((b) => /policy/i.test(b.text)) + 1;
    const answered = suite.emulator.calls.filter((c) => c.method === 'answerCallbackQuery').length;

    await presser.press(menu!, pick);
    await typist.send(String(pick));
    const [pressed] = await presser.received(1);
    const [typed] = await typist.received(1);
    expect(pressed!.text).toBe(typed!.text);
    expect(pressed!.buttons.map((b) => b.text)).toEqual(typed!.buttons.map((b) => b.text));
    const answers = suite.emulator.calls.filter((c) => c.method === 'answerCallbackQuery').slice(answered);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.payload['text']).toBeUndefined();
  });
});
