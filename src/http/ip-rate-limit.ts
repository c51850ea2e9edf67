import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { HttpError } from './http-errors';

/**
 * The per-address limit of the web chat API, the console and Bull Board, counted in Redis (shared by every
 * process). The bucket is `request.ip`: the connecting address, or with TRUST_PROXY the address the trusted
 * proxy hops report, never an X-Forwarded-For entry the client wrote itself (see docs/http-and-deployment.md).
 */
export async function registerIpRateLimit(
  scope: FastifyInstance,
  { config, redis }: { config: Pick<Config, 'WEB_IP_RATE_PER_MINUTE' | 'QUEUE_PREFIX'>; redis: Redis },
): Promise<void> {
  await scope.register(fastifyRateLimit, {
    global: true,
    max: config.WEB_IP_RATE_PER_MINUTE,
    timeWindow: 60_000,
    redis,
    nameSpace: `${config.QUEUE_PREFIX}:ratelimit:`,
    keyGenerator: (request) => request.ip,
    // A Redis outage must not take the chat down with it; the limit comes back with Redis.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new HttpError(context.statusCode, 'rate_limited', `Too many requests: try again in ${context.after}.`),
  });
}
