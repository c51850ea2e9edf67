import type { FastifyInstance } from 'fastify';

/** Pages run only their own script and style: no inline code, no other origin, never inside a frame. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Adds the headers to every response of the routes of `scope` (the web chat and the console). */
export function addSecurityHeaders(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
  });
}
