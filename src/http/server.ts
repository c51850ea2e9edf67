import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Config } from '../config';
import type { Logger } from '../logger';

/** Adds routes to the server; each feature that serves HTTP provides one (see http-routes.ts). */
export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

/**
 * The project's one HTTP server: health check here, feature routes (Telegram webhook, later the web chat and
 * the coordinator console) registered by `registerRoutes`. Listening is the caller's choice (`npm start`
 * listens on PORT only when some route needs it).
 */
export function createHttpServer({ config, logger }: { config: Config; logger: Logger }): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    // No log line per request: metrics count them, and a chat poll every few seconds would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
    trustProxy: config.TRUST_PROXY,
  });
  app.get('/healthz', async () => ({ ok: true, locale: config.DEFAULT_LOCALE }));
  return app;
}

export async function registerRoutes(app: FastifyInstance, registrars: RouteRegistrar[]): Promise<void> {
  for (const register of registrars) await register(app);
}
