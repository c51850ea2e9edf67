import type { FastifyInstance } from 'fastify';

/** Pages run only their own script and style: no inline code, no other origin, never inside a frame. */
function policy(baseUri: "'none'" | "'self'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    `base-uri ${baseUri}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Adds the headers to every response of the routes of `scope` (the web chat, the console and Bull Board).
 * Bull Board's page finds its files through a `<base href>` of its own path, hence `baseUri: 'self'` there:
 * still this origin only.
 */
export function addSecurityHeaders(
  scope: FastifyInstance,
  { baseUri = "'none'" }: { baseUri?: "'none'" | "'self'" } = {},
): void {
  const csp = policy(baseUri);
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', csp);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
  });
}
