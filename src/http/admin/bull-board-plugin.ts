import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createTranslator } from '../../i18n/i18n';
import type { ConsoleAccounts } from '../../services/console-accounts-service';
import { consoleLocale, consoleUserOf, isPageRequest } from '../console/console-login';
import { addSecurityHeaders } from '../security-headers';

export const QUEUES_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, for signed-in console admins only. Its pages use the console login cookie
 * (SameSite=Strict); its actions (retry, clean) must also come from this origin.
 */
export async function bullBoardPlugin(
  scope: FastifyInstance,
  { queues, accounts }: { queues: Queue[]; accounts: ConsoleAccounts },
) {
  // The console's headers; its page sets a <base href> of its own path (see security-headers.ts).
  addSecurityHeaders(scope, { baseUri: "'self'" });
  const translator = createTranslator();
  // Refusals in the console's language (its ?lang= / cookie choice), like the console's own pages.
  const refuse = (request: FastifyRequest, reply: FastifyReply, status: 401 | 403, key: string) => {
    const t = translator.forLocale(consoleLocale(request, reply));
    const error = status === 401 ? 'unauthorized' : 'forbidden';
    return reply.code(status).send({ error, message: t(`accounts:queues.${key}`) });
  };
  scope.addHook('onRequest', async (request, reply) => {
    const user = await consoleUserOf(request, accounts);
    if (!user) {
      return isPageRequest(request)
        ? reply.redirect('/console/login', 302)
        : refuse(request, reply, 401, 'signIn');
    }
    if (user.access?.role !== 'admin') return refuse(request, reply, 403, 'adminsOnly');
    const site = request.headers['sec-fetch-site'];
    if (request.method !== 'GET' && site !== undefined && site !== 'same-origin') {
      return refuse(request, reply, 403, 'crossSite');
    }
  });
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUES_PATH);
  // @bull-board/fastify pins its own copy of @bull-board/api (one patch behind): same shape, separate types.
  const serverAdapter = adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await scope.register(adapter.registerPlugin(), { prefix: QUEUES_PATH });
}
