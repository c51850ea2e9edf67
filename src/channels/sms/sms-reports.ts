import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SmsChannel } from './sms-channel';
import { parseSmsReports, REPORT_ACK } from './sms-mapper';

const querySchema = z.object({ token: z.string().max(200).optional() });

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The delivery-status push endpoint: POST <path>/aliyun (SmsReport, HTTP batch push) and <path>/tencent (status
 * callback), each a JSON array, recorded against the SMS attempts they report on. Answers what each provider
 * expects, so it does not push again; a malformed body gets 400 (the provider retries, and we log it).
 */
export function registerSmsReports(app: FastifyInstance, channel: SmsChannel): void {
  const options = channel.reports;
  const provider = channel.provider.name;
  app.post(`${options.path}/${provider}`, { bodyLimit: 1_048_576 }, async (request, reply) => {
    const query = querySchema.safeParse(request.query);
    if (options.token && !(query.success && query.data.token && same(query.data.token, options.token)))
      return reply.code(403).send({ error: 'forbidden' });
    const reports = parseSmsReports(provider, request.body);
    if (!reports) {
      request.log.warn({ provider }, 'SMS delivery report with an unexpected shape');
      return reply.code(400).send({ error: 'unexpected report shape' });
    }
    const matched = await channel.store.recordReports(reports);
    for (const r of reports) channel.meter.reported(provider, r.delivered ? 'delivered' : 'failed');
    if (matched < reports.length)
      request.log.info({ provider, reports: reports.length, matched }, 'SMS reports for unknown messages');
    return reply.send(REPORT_ACK[provider]);
  });
}
