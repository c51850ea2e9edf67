import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { clientAddressBucket } from '../services/console-client-address';
import { HttpError } from './http-errors';

/** Guessing passwords, invite codes or second-factor codes: this many tries per address bucket, then wait. */
export const SIGN_IN_ATTEMPTS = { max: 20, windowMs: 10 * 60_000 } as const;

/** True while the request's address may still try to sign in (or type a code, or a current password). */
export type SignInLimit = (request: FastifyRequest) => Promise<boolean>;

declare module 'fastify' {
  interface FastifyInstance {
    signInLimit: SignInLimit;
  }
}

/** The bucket of a request: `request.ip` with IPv6 taken by its /64 (see clientAddressBucket). */
export const requestBucket = (request: FastifyRequest) => clientAddressBucket(request.ip);

/**
 * A fixed-window counter in this process's memory: what the sign-in limit falls back to while Redis is away, so
 * an outage never lifts it (each process then counts on its own; the entries vanish with their window).
 */
function memoryCounter(max: number, windowMs: number) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return (key: string, now = Date.now()): boolean => {
    if (windows.size > 50_000) {
      for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
    }
    const current = windows.get(key);
    const entry = current && current.resetAt > now ? current : { count: 0, resetAt: now + windowMs };
    entry.count += 1;
    windows.set(key, entry);
    return entry.count <= max;
  };
}

/**
 * The per-address limit of the web chat API, the console and Bull Board, counted in Redis (shared by every
 * process). The bucket is `request.ip` (IPv6 by its /64): the connecting address, or with TRUST_PROXY the
 * address the trusted proxy hops report, never an X-Forwarded-For entry the client wrote itself (see
 * docs/http-and-deployment.md). Also decorates `signInLimit`, the stricter limit on every password and code
 * check, which unlike the general one keeps counting (in memory) while Redis is down.
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
    keyGenerator: requestBucket,
    // A Redis outage must not take the chat down with it; the limit comes back with Redis.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new HttpError(context.statusCode, 'rate_limited', `Too many requests: try again in ${context.after}.`),
  });
  const shared = scope.createRateLimit({
    keyGenerator: (r) => `signin:${requestBucket(r)}`,
    max: SIGN_IN_ATTEMPTS.max,
    timeWindow: SIGN_IN_ATTEMPTS.windowMs,
    skipOnError: false,
  });
  const local = memoryCounter(SIGN_IN_ATTEMPTS.max, SIGN_IN_ATTEMPTS.windowMs);
  scope.decorate('signInLimit', async (request: FastifyRequest) => {
    try {
      const limit = await shared(request);
      return limit.isAllowed || !limit.isExceeded;
    } catch (error) {
      request.log.warn({ err: error }, 'sign-in limit: Redis is away, counting in this process');
      return local(`signin:${requestBucket(request)}`);
    }
  });
}
