import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TelegramChannel } from './telegram-channel';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Enough of an Update to hand to grammY; the mapper reads the rest field by field. */
const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

/**
 * Mounts the channel's webhook at the path of TELEGRAM_WEBHOOK_URL. Every request must carry the secret
 * token Telegram was given in setWebhook; others get 401 and reach nothing. A body that is no Update gets 400.
 * Until the channel has started, updates get 503 so Telegram keeps them and retries.
 */
export function registerTelegramWebhook(app: FastifyInstance, channel: TelegramChannel): void {
  const webhook = channel.webhook;
  if (!webhook) throw new Error('the Telegram channel was not configured with a webhook');
  const expected = Buffer.from(webhook.secret);
  const handle = channel.webhookHandler();
  app.post(new URL(webhook.url).pathname, async (request, reply) => {
    const given = Buffer.from(String(request.headers[SECRET_HEADER] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).send({ ok: false });
    }
    if (!updateSchema.safeParse(request.body).success) return reply.code(400).send({ ok: false });
    if (!channel.started) return reply.code(503).send({ ok: false });
    return handle(request, reply);
  });
}
