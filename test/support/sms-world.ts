import { randomUUID } from 'node:crypto';
import { type FakeSms, startFakeSms } from './fake-sms';
import { type OutreachWorld, outreachWorld } from './outreach-runtime';
import type { RecordingChannel } from './recording-channel';

// biome-ignore lint/suspicious/noTemplateCurlyInString: an SMS template's own ${name} variables
const NOTICE_WORDING = '培训通知：${content1}${content2}拒收请回复R';

/**
 * An outreach world whose messages go chat first, then the Official Account, then SMS, through a fake Aliyun SMS:
 * its `default` template is the two-part notice (培训通知：…拒收请回复R); `templates` adds more, by name. Close the
 * world and the fake after the tests.
 */
export async function smsOutreachWorld(options: {
  keyId: string;
  templateId: string;
  templates?: Record<string, { templateId: string; params: string[]; wording: string }>;
  env?: Record<string, string>;
  channel?: RecordingChannel;
}): Promise<{ world: OutreachWorld; fake: FakeSms }> {
  const secret = 'test-secret-0123456789';
  const more = Object.entries(options.templates ?? {});
  const fake = await startFakeSms({
    accessKeyId: options.keyId,
    accessKeySecret: secret,
    signName: '昭通市人社局',
    templates: {
      [options.templateId]: NOTICE_WORDING,
      ...Object.fromEntries(more.map(([, t]) => [t.templateId, t.wording])),
    },
  });
  const world = await outreachWorld({
    channel: options.channel,
    env: {
      DELIVERY_FALLBACK: 'chat,wechat_oa,sms',
      SMS_PROVIDER: 'aliyun',
      SMS_ENDPOINT: fake.url,
      SMS_ACCESS_KEY_ID: options.keyId,
      SMS_ACCESS_KEY_SECRET: secret,
      SMS_SIGN_NAME: '昭通市人社局',
      SMS_TEMPLATES: JSON.stringify({
        default: { templateId: options.templateId, params: ['content1', 'content2'] },
        ...Object.fromEntries(
          more.map(([name, t]) => [name, { templateId: t.templateId, params: t.params }]),
        ),
      }),
      ...options.env,
    },
  });
  return { world, fake };
}

/**
 * Notices put straight into the outbox of the world `world()` returns (read when called, so it can be set in
 * beforeAll), and what became of them: the delivery row and its attempts, oldest first.
 */
export function deliveryProbe(world: () => OutreachWorld, realName: string) {
  const row = (key: string) => world().runtime.db.delivery.findUniqueOrThrow({ where: { key } });
  return {
    /** A person known only by a phone number (enrolled by staff, imported from a roster). */
    async phoneOnly(phone: string): Promise<string> {
      const id = randomUUID();
      await world().runtime.db.person.create({ data: { id, realName, phone } });
      return id;
    },
    async notice(personId: string, text: string): Promise<string> {
      const key = `broadcast:${randomUUID()}:${personId}`;
      const delivery = world().runtime.delivery;
      const address = (await delivery.recipients.reachable([personId])).get(personId);
      await delivery.outbox.enqueue([{ key, kind: 'broadcast', personId, address, message: { text } }]);
      return key;
    },
    row,
    attemptsOf: async (key: string) =>
      world().runtime.db.deliveryAttempt.findMany({
        where: { deliveryId: (await row(key)).id },
        orderBy: { createdAt: 'asc' },
      }),
  };
}
