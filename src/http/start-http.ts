import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../app/compose';
import { listenError } from '../app/startup-error';
import { httpRoutes } from './http-routes';
import { createHttpServer, registerRoutes } from './server';
import { registerWebApp } from './web-app';

/**
 * The HTTP server of `npm start`, always listening on PORT: the web chat is how a newcomer tries the bot.
 * Feature routes (the Telegram webhook when configured) come from http-routes.ts; the web chat, console,
 * admin and ops routes from web-app.ts.
 */
export async function startHttp(runtime: Runtime): Promise<FastifyInstance> {
  const app = createHttpServer(runtime);
  await registerRoutes(app, httpRoutes(runtime));
  await registerWebApp(app, runtime);
  try {
    await app.listen({ port: runtime.config.PORT, host: runtime.config.HOST });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw listenError(error, runtime.config.HOST, runtime.config.PORT);
  }
  const shown = runtime.config.HOST === '0.0.0.0' ? 'localhost' : runtime.config.HOST;
  runtime.logger.info(
    {
      port: runtime.config.PORT,
      chat: `http://${shown}:${runtime.config.PORT}/`,
      console: `http://${shown}:${runtime.config.PORT}/console`,
    },
    'HTTP server listening: web chat and coordinator console',
  );
  return app;
}
