import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRuntime, type Runtime } from '../src/app/compose';
import type { Config } from '../src/config';
import { startFakeSms } from '../test/support/fake-sms';
import { createBenchCourse } from './bench-course';
import { startTelegramEmulator } from './telegram-emulator';

export interface ReachBenchResult {
  suite: 'reach';
  recipients: number;
  delivered: number;
  /** Sent messages by the channel that carried them; the Official Account split by how (wechat_oa_custom…). */
  by_channel: Record<string, number>;
  /** Messages that moved to another route after the first could not carry them. */
  fallbacks: number;
  /** Messages no route could carry (listed for staff). */
  unreachable: number;
  /** Messages neither sent nor failed when the bench stopped waiting. */
  lost: number;
  /** Messages a person received more than once, counted at the fakes. */
  duplicates: number;
  elapsed_ms: number;
  /** What the run could not include, said plainly (e.g. the Official Account channel missing). */
  missing?: string[];
}

const OA_FAKE = new URL('../test/support/fake-wechat-oa.ts', import.meta.url);
const OA_CHANNEL = new URL('../src/channels/wechat-oa/wechat-oa-channel.ts', import.meta.url);

/**
 * A class notice to `recipients` people through the real path (confirm → delivery rows → outbound queues →
 * channels → the fakes): a quarter on Telegram (telegram-test-api), a quarter on the WeChat Service Account
 * inside the 48 h window, a quarter outside it, a quarter with only a phone number (SMS, the Aliyun SDK against
 * test/support/fake-sms.ts). Counted from the ledger and from what the fakes received.
 */
export async function benchReach(base: Runtime, recipients = 1_000): Promise<ReachBenchResult> {
  const missing: string[] = [];
  const telegram = await startTelegramEmulator();
  const sms = await startFakeSms({
    accessKeyId: 'LTAI5tBenchKeyId01',
    accessKeySecret: 'bench-secret-0123456789',
    signName: '昭通市人社局',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
    templates: { SMS_900100: '培训通知：${content1}${content2}${content3}拒收请回复R' },
  });
  const oaAvailable = existsSync(OA_FAKE) && existsSync(OA_CHANNEL);
  const oa = oaAvailable
    ? await (
        (await import(OA_FAKE.href)) as typeof import('../test/support/fake-wechat-oa')
      ).startFakeWechatOa()
    : undefined;
  if (!oa)
    missing.push(
      'WeChat Official Account channel (src/channels/wechat-oa) not present: its half is unreachable',
    );
  const token = '100003:BENCH-reach-bot-token-00000000000';
  const config: Config = {
    ...base.config,
    QUEUE_PREFIX: `${base.config.QUEUE_PREFIX}:reach-${randomBytes(3).toString('hex')}`,
    OUTBOUND_DEFAULT_RATE_PER_SECOND: 1_000,
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_RATE_PER_SECOND: 1_000,
    DELIVERY_FALLBACK: ['chat', 'wechat_oa', 'sms'],
    SMS_PROVIDER: 'aliyun',
    SMS_ENDPOINT: sms.url,
    SMS_ACCESS_KEY_ID: 'LTAI5tBenchKeyId01',
    SMS_ACCESS_KEY_SECRET: 'bench-secret-0123456789',
    SMS_SIGN_NAME: '昭通市人社局',
    SMS_TEMPLATES: { default: { templateId: 'SMS_900100', params: ['content1', 'content2', 'content3'] } },
    SMS_RATE_PER_SECOND: 1_000,
    SMS_DAILY_CAP_PER_PERSON: 5,
    ...(oa
      ? {
          WECHAT_OA_APPID: oa.appId,
          WECHAT_OA_APPSECRET: oa.appSecret,
          WECHAT_OA_TOKEN: 'benchToken01',
          WECHAT_OA_API_BASE: oa.url,
          WECHAT_OA_RATE_PER_SECOND: 500,
          WECHAT_OA_TEMPLATES: {
            class_notice: {
              templateId: 'TPL-bench-class-notice-01',
              fields: { thing1: 'title', thing2: 'text', time3: 'time' },
            },
          },
        }
      : {}),
  };
  const runtime = await createRuntime(config, base.logger, { database: base.database });
  const db = base.db;
  const quarter = Math.floor(recipients / 4);
  const ids = Array.from({ length: recipients }, () => randomUUID());
  const author = randomUUID();
  let courseId: string | undefined;
  try {
    const course = await createBenchCourse(db, recipients + 10, new Date(Date.now() + 7 * 86_400_000));
    courseId = course.id;
    await db.person.create({ data: { id: author } });
    const groups = {
      telegram: ids.slice(0, quarter),
      oaIn: ids.slice(quarter, 2 * quarter),
      oaOut: ids.slice(2 * quarter, 3 * quarter),
      phone: ids.slice(3 * quarter),
    };
    const phoneOf = (i: number) => `139${String(10_000_000 + i).slice(-8)}`;
    await db.person.createMany({
      data: ids.map((id, i) => ({
        id,
        realName: `学员${i}`,
        phone: groups.phone.includes(id) ? phoneOf(i) : null,
      })),
    });
    const tgUsers = new Map<string, number>();
    // Telegram user ids of this run only (identities are unique per channel and external id).
    const tgBase = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
    for (const [i, id] of groups.telegram.entries()) tgUsers.set(id, tgBase + i);
    const now = Date.now();
    await db.channelIdentity.createMany({
      data: [
        ...groups.telegram.map((id) => ({
          channel: 'telegram',
          externalId: String(tgUsers.get(id)),
          chatId: String(tgUsers.get(id)),
          personId: id,
          lastInboundAt: new Date(now),
        })),
        ...groups.oaIn.map((id, i) => ({
          channel: 'wechat-oa',
          externalId: `oIn-${i}-${id.slice(0, 8)}`,
          chatId: `oIn-${i}-${id.slice(0, 8)}`,
          personId: id,
          lastInboundAt: new Date(now - 3_600_000),
        })),
        ...groups.oaOut.map((id, i) => ({
          channel: 'wechat-oa',
          externalId: `oOut-${i}-${id.slice(0, 8)}`,
          chatId: `oOut-${i}-${id.slice(0, 8)}`,
          personId: id,
          lastInboundAt: new Date(now - 5 * 86_400_000),
        })),
      ],
    });
    await db.enrolment.createMany({
      data: ids.map((personId) => ({ personId, courseId: course.id, status: 'confirmed' })),
    });
    const admin = { role: 'admin' as const, courseCodes: [], counties: [] };
    const draft = await runtime.broadcasts.draft(
      author,
      admin,
      course.code,
      '明天上午9点改到201教室，请带好身份证。',
      new Date(),
    );
    if (draft.status !== 'ok') throw new Error(`broadcast draft failed: ${draft.status}`);
    const broadcastId = draft.preview.broadcastId;

    runtime.startOutboundWorkers(() => true);
    const t0 = performance.now();
    await runtime.broadcasts.confirm(author, broadcastId, false);
    const deadline = Date.now() + 180_000;
    let open = recipients;
    while (Date.now() < deadline) {
      open = await db.delivery.count({ where: { broadcastId, status: { in: ['pending', 'sending'] } } });
      const written = await db.delivery.count({ where: { broadcastId } });
      if (open === 0 && written >= recipients) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = performance.now() - t0;

    const rows = await db.delivery.findMany({
      where: { broadcastId },
      select: { id: true, status: true, channel: true, error: true },
    });
    const sent = rows.filter((r) => r.status === 'sent');
    const byChannel: Record<string, number> = {};
    for (const r of sent)
      byChannel[r.channel.replace('-', '_')] = (byChannel[r.channel.replace('-', '_')] ?? 0) + 1;
    if (oa) {
      // How the Official Account carried them, from what its fake accepted.
      for (const c of oa.calls) {
        const k = `wechat_oa_${c.api}`;
        byChannel[k] = (byChannel[k] ?? 0) + 1;
      }
    }
    const fallbacks = await db.deliveryAttempt.count({
      where: { deliveryId: { in: rows.map((r) => r.id) }, status: 'fell_back' },
    });
    // Duplicates at the fakes: more than one message to one chat, open id or phone.
    const perTarget = new Map<string, number>();
    const bump = (k: string) => perTarget.set(k, (perTarget.get(k) ?? 0) + 1);
    for (const call of telegram.calls.filter((c) => c.method === 'sendMessage'))
      bump(`tg:${String(call.payload.chat_id)}`);
    for (const m of sms.sent) bump(`sms:${m.phone}`);
    for (const c of oa?.calls ?? []) bump(`oa:${String(c.body.touser)}`);
    const duplicates = [...perTarget.values()].reduce((n, v) => n + Math.max(0, v - 1), 0);
    return {
      suite: 'reach',
      recipients,
      delivered: sent.length,
      by_channel: byChannel,
      fallbacks,
      unreachable: rows.filter((r) => r.status === 'failed').length,
      lost: recipients - rows.filter((r) => r.status === 'sent' || r.status === 'failed').length,
      duplicates,
      elapsed_ms: Math.round(elapsed),
      ...(missing.length ? { missing } : {}),
    };
  } finally {
    await runtime.close();
    // Everything this run wrote goes again (its queues lived under their own prefix).
    await db.delivery.deleteMany({ where: { personId: { in: [...ids, author] } } });
    if (courseId) await db.course.deleteMany({ where: { id: courseId } });
    await db.person.deleteMany({ where: { id: { in: [...ids, author] } } });
    await telegram.close();
    await sms.close();
    await oa?.close();
  }
}
