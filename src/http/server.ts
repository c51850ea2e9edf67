import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import type { Config } from '../config';
import { LOCALES } from '../core/domain';
import { createTranslator } from '../i18n/i18n';
import type { Logger } from '../logger';
import { html } from './html';

/** Adds routes to the server; each feature that serves HTTP provides one (see http-routes.ts). */
export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

/**
 * The project's one HTTP server: health check here, feature routes (Telegram webhook, later the web chat and
 * the coordinator console) registered by `registerRoutes`. Listening is the caller's choice (`npm start`
 * listens on PORT only when some route needs it).
 */
/** The page for an address the server cannot read, in both languages (the request's language is unknown). */
function renderBadLinkPage(): string {
  const [zh, en] = LOCALES.map((l) => createTranslator().forLocale(l));
  const both = (key: string) => `${zh!(key)} · ${en!(key)}`;
  return String(
    html`<!doctype html><meta charset="utf-8"><title>${both('web:badLink.title')}</title><p>${zh!('web:badLink.text')}</p><p>${en!('web:badLink.text')}</p><p><a href="/">${both('web:badLink.home')}</a></p>`,
  );
}

export function createHttpServer({ config, logger }: { config: Config; logger: Logger }): FastifyInstance {
  const badLinkPage = renderBadLinkPage();
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    // No log line per request: metrics count them, and a chat poll every few seconds would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    // Refused before any route runs (a broken %-escape in the address, say): a short polite page in both
    // languages rather than Fastify's English JSON.
    frameworkErrors: (error, _request, raw) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      const reply = raw as unknown as FastifyReply;
      void reply.code(status).type('text/html; charset=utf-8').send(badLinkPage);
    },
  });
  app.get('/healthz', async () => ({ ok: true, locale: config.DEFAULT_LOCALE }));
  if (config.TRUST_PROXY === false) warnOnceAboutProxies(app);
  return app;
}

/** TRUST_PROXY as Fastify takes it: a hop count becomes "trust the nearest n hops", as Fastify would do. */
function trustProxyOption(
  setting: Config['TRUST_PROXY'],
): boolean | string[] | ((a: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/**
 * A proxy in front while TRUST_PROXY is off: every visitor has the proxy's address and shares one rate-limit
 * bucket. Said once in the log, with the setting that fixes it.
 */
function warnOnceAboutProxies(app: FastifyInstance): void {
  let warned = false;
  app.addHook('onRequest', async (request) => {
    if (warned || request.headers['x-forwarded-for'] === undefined) return;
    warned = true;
    request.log.warn(
      { from: request.ip },
      'X-Forwarded-For ignored: behind a reverse proxy set TRUST_PROXY (docs/http-and-deployment.md), or all clients share one rate limit',
    );
  });
}

export async function registerRoutes(app: FastifyInstance, registrars: RouteRegistrar[]): Promise<void> {
  for (const register of registrars) await register(app);
}
