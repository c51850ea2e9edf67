import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../app/compose';
import { loadWebSecret } from '../app/web-secret';
import { WebChannel } from '../channels/web/web-channel';
import { closeQueues } from '../delivery/close-queues';
import { allQueueNames } from '../jobs/queue-names';
import { bullBoardPlugin } from './admin/bull-board-plugin';
import { consolePlugin } from './console/console-plugin';
import { httpErrorHandler } from './http-errors';
import { registerIpRateLimit } from './ip-rate-limit';
import { opsRoutes } from './ops/ops-routes';
import { addSecurityHeaders } from './security-headers';
import { webChatPage } from './web-chat/web-chat-page';
import { webChatRoutes } from './web-chat/web-chat-routes';

/** What the web app is served from: the runtime's config, clients, channels, metrics and console services. */
export type WebAppRuntime = Pick<
  Runtime,
  'config' | 'logger' | 'db' | 'redis' | 'producer' | 'metrics' | 'channels' | 'delivery' | 'console'
>;

/**
 * What `npm start` serves besides the Telegram webhook: /readyz and /metrics; and, behind signed cookies and a
 * per-address rate limit kept in Redis (shared by every process), the web chat at / with its API under
 * /api/webchat, the coordinator console under /console and Bull Board under /admin/queues.
 */
export async function registerWebApp(app: FastifyInstance, runtime: WebAppRuntime): Promise<void> {
  const { config } = runtime;
  const secret = loadWebSecret(config, runtime.logger);
  const queues = allQueueNames(runtime.delivery.channels).map(
    (name) => new Queue(name, { connection: runtime.producer, prefix: config.QUEUE_PREFIX }),
  );
  app.addHook('onClose', async () => {
    await closeQueues(queues);
  });
  await app.register(opsRoutes, { runtime, queues });

  const deps = runtime.console;
  const web = runtime.channels.get('web');
  await app.register(async (scope) => {
    await scope.register(fastifyCookie, { secret });
    await scope.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    await registerIpRateLimit(scope, { config, redis: runtime.redis });
    scope.decorateRequest('consoleUser', undefined);
    scope.setErrorHandler(httpErrorHandler);
    if (web instanceof WebChannel) {
      await scope.register(async (chat) => {
        addSecurityHeaders(chat);
        await webChatPage(chat);
        await webChatRoutes(chat, { channel: web, config });
      });
    }
    await scope.register(consolePlugin, { deps, secret });
    await scope.register(bullBoardPlugin, { queues, accounts: deps.accounts });
  });
}
