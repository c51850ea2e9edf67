import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../app/runtime';
import { TelegramChannel } from '../channels/telegram/telegram.channel';
import { registerTelegramWebhook } from '../channels/telegram/telegram.webhook';
import { createHttpServer, type RouteRegistrar, registerRoutes } from './server';

/**
 * The routes the configured features need, one line each; an empty list means nothing needs the HTTP
 * server and `npm start` does not open a port.
 */
export function httpRoutes(runtime: Pick<Runtime, 'channels'>): RouteRegistrar[] {
  const routes: RouteRegistrar[] = [];
  const telegram = runtime.channels.get('telegram');
  if (telegram instanceof TelegramChannel && telegram.webhook) {
    routes.push((app) => registerTelegramWebhook(app, telegram));
  }
  return routes;
}

/** Creates the HTTP server and listens on PORT when some route is needed; otherwise opens no port. */
export async function startHttpIfNeeded(
  runtime: Pick<Runtime, 'channels' | 'config' | 'logger'>,
): Promise<FastifyInstance | undefined> {
  const routes = httpRoutes(runtime);
  if (!routes.length) return undefined;
  const app = createHttpServer(runtime);
  await registerRoutes(app, routes);
  await app.listen({ port: runtime.config.PORT, host: runtime.config.HOST });
  runtime.logger.info({ port: runtime.config.PORT }, 'HTTP server listening');
  return app;
}
