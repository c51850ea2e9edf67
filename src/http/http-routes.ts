import type { Runtime } from '../app/compose';
import { TelegramChannel } from '../channels/telegram/telegram-channel';
import { registerTelegramWebhook } from '../channels/telegram/telegram-webhook';
import type { RouteRegistrar } from './server';

/** The routes the configured platform features add to the HTTP server (start-http.ts), one line each. */
export function httpRoutes(runtime: Pick<Runtime, 'channels'>): RouteRegistrar[] {
  const routes: RouteRegistrar[] = [];
  const telegram = runtime.channels.get('telegram');
  if (telegram instanceof TelegramChannel && telegram.webhook) {
    routes.push((app) => registerTelegramWebhook(app, telegram));
  }
  return routes;
}
