import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkinToken, codeAt, timeStep } from '../../src/core/attendance/checkin-code';
import { createPiiCipher, parseKey } from '../../src/core/people/pii-crypto';
import { checkinRulesOf, checkinSecret } from '../../src/services/checkin-service';
import { type FakeSms, startFakeSms } from '../support/fake-sms';
import { createCourse } from '../support/fixtures';
import { until } from '../support/outreach-runtime';
import { type WebWorld, webChatId, webClient, webWorld } from '../support/web-world';

/**
 * Account linking (issue 20 item 1): a trainee signs up on Telegram, scans the class's QR code with the phone
 * camera (the web chat opens as a stranger), proves the phone they signed up with by an SMS code, and is checked
 * in once, as themselves. The real SMS SDK talks to the local fake through the outbound queue.
 */
const SMS_TEMPLATE = 'SMS_900100';
// biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variable
const WORDING = '您的验证码为${code}，10分钟内有效，请勿告诉他人。拒收请回复R';
// biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variable
const REMINDER_WORDING = '上课提醒：${content}。拒收请回复R';
const KEY_ID = 'LTAI5tTestKeyId01';
const KEY_SECRET = 'test-secret-0123456789';

/** The runtime's check-in secret (testRuntime's PII keys, no CHECKIN_SECRET). */
function tokenFor(world: WebWorld, sessionId: string): string {
  const cipher = createPiiCipher({
    encryptionKey: parseKey('a'.repeat(64)),
    hashKey: parseKey('b'.repeat(64)),
  });
  const config = world.runtime.config;
  const code = codeAt(checkinSecret(config, cipher), sessionId, timeStep(new Date(), checkinRulesOf(config)));
  return checkinToken(sessionId, code);
}

/** A class starting in ten minutes (check-in open) and a trainee signed up for it on Telegram, with a phone. */
async function telegramTrainee(world: WebWorld, phone: string) {
  const { runtime } = world;
  const course = await createCourse(runtime.db, { startsInHours: 10 / 60, county: 'zhenxiong' });
  const [session] = await runtime.db.classSession.findMany({
    where: { courseId: course.id },
    orderBy: { startsAt: 'asc' },
  });
  const tgId = `tg-${Math.random().toString(36).slice(2, 10)}`;
  await runtime.engine.handle({
    id: `${tgId}:1`,
    address: { channel: 'telegram', chatId: tgId },
    senderId: tgId,
    text: '你好',
    receivedAt: new Date(),
  });
  const { personId } = await runtime.db.channelIdentity.findFirstOrThrow({
    where: { channel: 'telegram', externalId: tgId },
  });
  await runtime.db.person.update({ where: { id: personId }, data: { realName: '李四', phone } });
  const enrolment = await runtime.db.enrolment.create({
    data: { personId, courseId: course.id, status: 'confirmed' },
  });
  return { course, session: session!, personId, enrolment, token: tokenFor(world, session!.id) };
}

const text = (r: { body: { replies: { text: string }[] } }) => r.body.replies.map((x) => x.text).join('\n');
/** A random mainland mobile number, so reruns never meet an earlier run's rate counters. */
const randomPhone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

describe('linking a web chat to a Telegram sign-up by phone and SMS code', () => {
  let fake: FakeSms;
  let world: WebWorld;

  beforeAll(async () => {
    fake = await startFakeSms({
      accessKeyId: KEY_ID,
      accessKeySecret: KEY_SECRET,
      signName: '昭通市人社局',
      templates: { [SMS_TEMPLATE]: WORDING, SMS_900101: REMINDER_WORDING },
    });
    world = await webWorld({
      env: {
        SMS_PROVIDER: 'aliyun',
        SMS_ENDPOINT: fake.url,
        SMS_ACCESS_KEY_ID: KEY_ID,
        SMS_ACCESS_KEY_SECRET: KEY_SECRET,
        SMS_SIGN_NAME: '昭通市人社局',
        SMS_TEMPLATES: JSON.stringify({
          link_code: { templateId: SMS_TEMPLATE, params: ['code'], text: WORDING },
          reminder: { templateId: 'SMS_900101', params: ['content'], text: REMINDER_WORDING },
        }),
        // Small, so a test sees link codes neither held back by the reminders' cap nor using it up.
        SMS_DAILY_CAP_PER_PERSON: '2',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await world?.close();
    await fake?.close();
  });

  const smsTo = (phone: string) => fake.sent.filter((m) => m.phone === phone);
  const codeIn = (phone: string, n = 1) =>
    until(`SMS code ${n} to ${phone}`, async () => {
      const sent = smsTo(phone);
      return sent.length >= n && (sent[n - 1]!.params as Record<string, string>).code;
    });

  it('the QR link in a fresh web chat offers linking; phone + SMS code link it and check the trainee in once', async () => {
    const phone = randomPhone();
    const trainee = await telegramTrainee(world, phone);
    const web = await webClient(world.url);

    const scanned = await web.say({ text: `签到 ${trainee.token}` });
    expect(scanned.status).toBe(200);
    expect(text(scanned)).toContain('请输入报名时留的手机号');
    const chatId = await webChatId(world.runtime, web.token);
    const fresh = await world.runtime.db.channelIdentity.findFirstOrThrow({
      where: { channel: 'web', chatId },
    });
    expect(fresh.personId).not.toBe(trainee.personId);

    // Typed with spaces: the number is compared normalised; the reply masks it and says nothing of the record.
    const asked = await web.say({ text: `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` });
    expect(text(asked)).toContain('如果这个号码');
    expect(text(asked)).toContain(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect(text(asked)).not.toContain(phone);
    const code = await codeIn(phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(smsTo(phone)[0]!.text).toContain(`您的验证码为${code}`);

    const linked = await web.say({ text: code });
    expect(text(linked)).toContain('已确认是您本人');
    expect(text(linked)).toContain('签到成功');
    expect(text(linked)).toContain(trainee.course.code);

    // The web identity is the trainee's now; the empty record it had is gone.
    const moved = await world.runtime.db.channelIdentity.findUniqueOrThrow({ where: { id: fresh.id } });
    expect(moved.personId).toBe(trainee.personId);
    expect(await world.runtime.db.person.count({ where: { id: fresh.personId } })).toBe(0);
    expect(
      await world.runtime.db.attendance.findMany({ where: { enrolmentId: trainee.enrolment.id } }),
    ).toEqual([expect.objectContaining({ sessionId: trainee.session.id, method: 'qr', status: 'present' })]);

    // The same code sent again (a double tap): said politely, not "not understood"; nothing changes.
    const twice = await web.say({ text: code });
    expect(twice.body.intent).toBe('account.link');
    expect(text(twice)).toContain('已经绑定好了');
    expect(text(twice)).not.toContain('没太明白');
    expect(await world.runtime.db.attendance.count({ where: { enrolmentId: trainee.enrolment.id } })).toBe(1);

    // Scanning again: checked in already, nothing changes; the used code links nothing a second time.
    expect(text(await web.say({ text: `签到 ${trainee.token}` }))).toContain('已经签到过了');
    expect(await world.runtime.db.attendance.count({ where: { enrolmentId: trainee.enrolment.id } })).toBe(1);
    // Asked again, a chat that now has sign-ups is not merged automatically: staff are offered.
    const again = await web.say({ text: '绑定账号' });
    expect(again.body.intent).toBe('account.link');
    expect(text(again)).toContain('不能自动');
    expect(again.body.replies.at(-1)!.choices).toContain('找工作人员');
  });

  it('an emoji at the code step asks again instead of leaving; "取消" then stops linking as promised', async () => {
    const phone = randomPhone();
    const trainee = await telegramTrainee(world, phone);
    const web = await webClient(world.url);
    await web.say({ text: `签到 ${trainee.token}` });
    await web.say({ text: phone });
    await codeIn(phone);

    const emoji = await web.say({ text: '🙂' });
    expect(emoji.body.intent).toBe('account.link');
    expect(text(emoji)).toContain('6位验证码');
    expect(text(emoji)).toContain('取消');
    expect(text(emoji)).not.toContain('没太明白');
    const stop = await web.say({ text: '取消' });
    expect(text(stop)).toContain('不绑定了');
    expect(text(stop)).not.toContain('报名');
    // Junk at the phone step is asked about once as well.
    await web.say({ text: '绑定账号' });
    expect(text(await web.say({ text: '？' }))).toContain('11位手机号');
    expect(text(await web.say({ text: '算了' }))).toContain('不绑定了');
    expect(await world.runtime.db.attendance.count({ where: { enrolmentId: trainee.enrolment.id } })).toBe(0);
  });

  it("a trainee who opted out of SMS still gets the code, by SMS only, outside the reminders' daily cap", async () => {
    const phone = randomPhone();
    const trainee = await telegramTrainee(world, phone);
    // "退订" of everything by SMS: a code the person asks for is a service message all the same.
    await world.runtime.db.$executeRaw`
      INSERT INTO contact_preferences (person_id, channel, opt_out, updated_at)
      VALUES (${trainee.personId}::uuid, 'sms', 'all', now())`;
    const first = await webClient(world.url);
    await first.say({ text: '绑定账号' });
    await first.say({ text: phone });
    await first.say({ text: phone });
    const second = await webClient(world.url);
    await second.say({ text: '绑定账号' });
    expect(text(await second.say({ text: phone }))).toContain('如果这个号码');
    // Three codes with a daily cap of two: all by SMS, none held back till tomorrow, none sent elsewhere.
    await codeIn(phone, 3);
    const ledger = await world.runtime.db.delivery.findMany({
      where: { personId: trainee.personId, kind: 'link_code' },
    });
    expect(ledger.map((d) => [d.channel, d.status])).toEqual([
      ['sms', 'sent'],
      ['sms', 'sent'],
      ['sms', 'sent'],
    ]);
    // ...and they used none of the two SMS a day the trainee's reminders may take (SMS resumed for them).
    await world.runtime.db
      .$executeRaw`DELETE FROM contact_preferences WHERE person_id = ${trainee.personId}::uuid`;
    await world.runtime.delivery.outbox.enqueue([
      {
        key: `reminder-after-codes:${trainee.personId}`,
        kind: 'reminder',
        personId: trainee.personId,
        address: { channel: 'sms', chatId: trainee.personId },
        message: { text: '明天9点上课' },
      },
    ]);
    await until('the reminder SMS', async () => smsTo(phone).length >= 4);
    expect(smsTo(phone)[3]!.text).toContain('明天9点上课');
  });

  it('at most five codes a day go to one phone, however many web chats ask', async () => {
    const phone = randomPhone();
    await telegramTrainee(world, phone);
    /** An hour passes for the hourly counters (the daily ones stay). */
    const anHourLater = async () => {
      const keys = await world.runtime.redis.keys(`${world.runtime.config.QUEUE_PREFIX}:link:rate:*`);
      expect(keys.length).toBeGreaterThan(0);
      await world.runtime.redis.del(...keys);
    };
    const ask = async () => {
      const web = await webClient(world.url);
      await web.say({ text: '绑定账号' });
      return text(await web.say({ text: phone }));
    };
    for (let i = 0; i < 3; i++) expect(await ask()).toContain('如果这个号码');
    expect(await ask()).toContain('太频繁');
    await anHourLater();
    for (let i = 0; i < 2; i++) expect(await ask()).toContain('如果这个号码');
    expect(await ask()).toContain('太频繁');
    await anHourLater();
    expect(await ask()).toContain('太频繁');
    await codeIn(phone, 5);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(smsTo(phone)).toHaveLength(5);
  });

  it('a message past its notAfter is not sent late, and a route-only one never goes to another route', async () => {
    const phone = randomPhone();
    const trainee = await telegramTrainee(world, phone);
    const { outbox } = world.runtime.delivery;
    const stale = `late-code:${trainee.personId}`;
    await outbox.enqueue([
      {
        key: stale,
        kind: 'link_code',
        personId: trainee.personId,
        address: { channel: 'sms', chatId: trainee.personId },
        message: {
          text: '验证码123456',
          notice: { kind: 'link_code', params: { code: '123456' } },
          notAfter: new Date(Date.now() - 1_000).toISOString(),
        },
      },
    ]);
    const failed = await until('the late code to fail', async () => {
      const row = await world.runtime.db.delivery.findUnique({ where: { key: stale } });
      return row?.status === 'failed' && row;
    });
    expect(failed.error).toBe('expired');
    expect(smsTo(phone)).toHaveLength(0);

    // No usable phone for SMS: a route-only message fails there instead of moving to the Telegram chat.
    await world.runtime.db.person.update({ where: { id: trainee.personId }, data: { phone: 'none' } });
    const only = `route-only:${trainee.personId}`;
    await outbox.enqueue([
      {
        key: only,
        kind: 'link_code',
        personId: trainee.personId,
        address: { channel: 'sms', chatId: trainee.personId },
        message: {
          text: '验证码654321',
          notice: { kind: 'link_code', params: { code: '654321' } },
          routeOnly: true,
        },
      },
    ]);
    const ended = await until('the route-only message to end', async () => {
      const row = await world.runtime.db.delivery.findUnique({ where: { key: only } });
      return row?.status === 'failed' && row;
    });
    expect(ended.channel).toBe('sms');
    expect(ended.error).toBe('sms_phone_invalid');
    // The same message without `routeOnly` goes on to the trainee's Telegram chat (DELIVERY_FALLBACK).
    const free = `route-free:${trainee.personId}`;
    await outbox.enqueue([
      {
        key: free,
        kind: 'link_code',
        personId: trainee.personId,
        address: { channel: 'sms', chatId: trainee.personId },
        message: { text: '验证码654321', notice: { kind: 'link_code', params: { code: '654321' } } },
      },
    ]);
    const moved = await until('the free message to leave SMS', async () => {
      const row = await world.runtime.db.delivery.findUnique({ where: { key: free } });
      return row?.channel === 'sms' ? undefined : (row ?? undefined);
    });
    expect(moved.channel).toBe('telegram');
  });

  it('a check-in completed after linking checks the scanned code as of the scan, within a bound', async () => {
    const t0 = Date.now();
    /** The web chat, through the engine, at `minutes` after t0 by the process's clock (only Date is faked). */
    const chat = (id: string) => async (body: string, minutes: number) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(t0 + minutes * 60_000);
      try {
        const result = await world.runtime.engine.handle({
          id: `${id}:${minutes}:${body}`,
          address: { channel: 'web', chatId: id },
          senderId: id,
          text: body,
          receivedAt: new Date(),
        });
        return result.replies.map((r) => r.text).join('\n');
      } finally {
        vi.useRealTimers();
      }
    };
    const slow = await telegramTrainee(world, randomPhone());
    const slowPhone = (await world.runtime.db.person.findUniqueOrThrow({ where: { id: slow.personId } }))
      .phone!;
    const web = chat(`web-slow-${t0}`);
    expect(await web(`签到 ${slow.token}`, 0)).toContain('请输入报名时留的手机号');
    await web(slowPhone, 1);
    const code = await codeIn(slowPhone);
    // Fourteen minutes after the scan: the code on the screen has changed twice since, the window is open.
    const linked = await web(code, 14);
    expect(linked).toContain('已确认是您本人');
    expect(linked).toContain('签到成功');
    expect(await world.runtime.db.attendance.count({ where: { enrolmentId: slow.enrolment.id } })).toBe(1);

    // Not forever: linked 25 minutes after the scan, the scanned code counts as expired.
    const slower = await telegramTrainee(world, randomPhone());
    const slowerPhone = (await world.runtime.db.person.findUniqueOrThrow({ where: { id: slower.personId } }))
      .phone!;
    const other = chat(`web-slower-${t0}`);
    await other(`签到 ${slower.token}`, 0);
    await other(slowerPhone, 1);
    const late = await other(await codeIn(slowerPhone), 25);
    expect(late).toContain('已确认是您本人');
    expect(late).toContain('过期');
    expect(await world.runtime.db.attendance.count({ where: { enrolmentId: slower.enrolment.id } })).toBe(0);
  });

  it('five wrong codes lock linking for this chat: the right code then links nothing', async () => {
    const phone = randomPhone();
    const trainee = await telegramTrainee(world, phone);
    const web = await webClient(world.url);
    await web.say({ text: `签到 ${trainee.token}` });
    await web.say({ text: phone });
    const code = await codeIn(phone);
    const wrong = code === '000000' ? '111111' : '000000';

    for (const left of [4, 3, 2, 1]) {
      const reply = await web.say({ text: wrong });
      expect(text(reply)).toContain('验证码不对');
      expect(text(reply)).toContain(`还可以试${left}次`);
    }
    const locked = await web.say({ text: wrong });
    expect(text(locked)).toContain('输错的次数太多');
    // Even the right code, or a fresh request, gets nowhere while the lock lasts.
    expect(text(await web.say({ text: '绑定账号' }))).toContain('输错的次数太多');
    expect(text(await web.say({ text: `签到 ${trainee.token}` }))).toContain('输错的次数太多');
    expect(smsTo(phone)).toHaveLength(1);
    expect(text(await web.say({ text: code }))).not.toContain('已确认是您本人');

    const chatId = await webChatId(world.runtime, web.token);
    const identity = await world.runtime.db.channelIdentity.findFirstOrThrow({
      where: { channel: 'web', chatId },
    });
    expect(identity.personId).not.toBe(trainee.personId);
    expect(await world.runtime.db.attendance.count({ where: { enrolmentId: trainee.enrolment.id } })).toBe(0);
  });

  it('an unknown number gets the same answer and no SMS; a fourth code within the hour is refused', async () => {
    const unknown = randomPhone();
    const web = await webClient(world.url);
    const started = await web.say({ text: '绑定账号' });
    expect(started.body.intent).toBe('account.link');
    expect(text(started)).toContain('请输入报名时留的手机号');
    const before = fake.calls;

    const reply = await web.say({ text: unknown });
    expect(text(reply)).toContain('如果这个号码');
    expect(text(reply)).toContain(`${unknown.slice(0, 3)}****${unknown.slice(7)}`);
    // Whatever code is typed, nothing matches: the same "wrong code" a registered number would get.
    expect(text(await web.say({ text: '123456' }))).toContain('验证码不对');
    expect(text(await web.say({ text: unknown }))).toContain('如果这个号码');
    expect(text(await web.say({ text: unknown }))).toContain('如果这个号码');
    expect(text(await web.say({ text: unknown }))).toContain('太频繁');
    // Give a registered number's SMS time to arrive, had one been queued.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(fake.calls).toBe(before);
    expect(smsTo(unknown)).toHaveLength(0);
  });
});

describe('linking without SMS (the embedded default)', () => {
  let world: WebWorld;
  beforeAll(async () => {
    world = await webWorld({ workers: false });
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  it('says honestly that linking needs SMS and where to check in instead', async () => {
    const trainee = await telegramTrainee(world, randomPhone());
    const web = await webClient(world.url);
    const scanned = text(await web.say({ text: `签到 ${trainee.token}` }));
    expect(scanned).toContain('没有找到您的报名记录');
    expect(scanned).toContain('需要短信验证码');
    expect(scanned).toContain('班主任');
    expect(scanned).not.toContain('请输入报名时留的手机号');
    const asked = text(await web.say({ text: '绑定账号' }));
    expect(asked).toContain('需要短信验证码');
    expect(await world.runtime.db.attendance.count({ where: { enrolmentId: trainee.enrolment.id } })).toBe(0);
  });
});
