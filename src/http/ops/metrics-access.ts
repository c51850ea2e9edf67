import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDED = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

export type MetricsAccess = 'ok' | 'bad_token' | 'not_local';

/**
 * Who may read /metrics: with METRICS_TOKEN, whoever sends it as a bearer token; without, only a client on
 * this machine that came straight in. A request a reverse proxy on this machine passed on (it says so in a
 * forwarding header) comes from elsewhere, whatever its socket address.
 */
export function metricsAccess(request: FastifyRequest, token: string | undefined): MetricsAccess {
  if (token) return bearerMatches(request.headers.authorization, token) ? 'ok' : 'bad_token';
  const direct = FORWARDED.every((h) => request.headers[h] === undefined);
  return direct && LOOPBACK.test(request.socket.remoteAddress ?? '') ? 'ok' : 'not_local';
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
