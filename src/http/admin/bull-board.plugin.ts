import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { ConsoleAccounts } from '../../services/console-accounts.service';
import { consoleUserOf, isPageRequest } from '../console/console-session';
import { addSecurityHeaders } from '../security-headers';

export const QUEUES_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, for signed-in console admins only. Its pages use the console session cookie
 * (SameSite=Strict); its actions (retry, clean) must also come from this origin.
 */
export async function bullBoardPlugin(
  scope: FastifyInstance,
  { queues, accounts }: { queues: Queue[]; accounts: ConsoleAccounts },
) {
  // The console's headers; its page sets a <base href> of its own path (see security-headers.ts).
  addSecurityHeaders(scope, { baseUri: "'self'" });
  scope.addHook('onRequest', async (request, reply) => {
    const user = await consoleUserOf(request, accounts);
    if (!user) {
      return isPageRequest(request)
        ? reply.redirect('/console/login', 302)
        : reply.code(401).send({ error: 'unauthorized', message: 'Sign in to the console as an admin.' });
    }
    if (user.access?.role !== 'admin') {
      return reply.code(403).send({ error: 'forbidden', message: 'Only admins may see the queues.' });
    }
    const site = request.headers['sec-fetch-site'];
    if (request.method !== 'GET' && site !== undefined && site !== 'same-origin') {
      return reply.code(403).send({ error: 'forbidden', message: 'Cross-site request refused.' });
    }
  });
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUES_PATH);
  // @bull-board/fastify pins its own copy of @bull-board/api (one patch behind): same shape, separate types.
  const serverAdapter = adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await scope.register(adapter.registerPlugin(), { prefix: QUEUES_PATH });
}
