import type { Runtime } from '../app/compose';
import { SmsChannel } from '../channels/sms/sms-channel';
import { registerSmsReports } from '../channels/sms/sms-reports';
import { TelegramChannel } from '../channels/telegram/telegram-channel';
import { registerTelegramWebhook } from '../channels/telegram/telegram-webhook';
import { WechatOaChannel } from '../channels/wechat-oa/wechat-oa-channel';
import { registerWechatOaPush } from '../channels/wechat-oa/wechat-oa-push';
import { registerWechatOaSubscribePage } from '../channels/wechat-oa/wechat-oa-subscribe-page';
import type { RouteRegistrar } from './server';

/** The routes the configured platform features add to the HTTP server (start-http.ts), one line each. */
export function httpRoutes(runtime: Pick<Runtime, 'channels'>): RouteRegistrar[] {
  const routes: RouteRegistrar[] = [];
  const telegram = runtime.channels.get('telegram');
  if (telegram instanceof TelegramChannel && telegram.webhook) {
    routes.push((app) => registerTelegramWebhook(app, telegram));
  }
  const sms = runtime.channels.get('sms');
  if (sms instanceof SmsChannel) routes.push((app) => registerSmsReports(app, sms));
  const officialAccount = runtime.channels.get('wechat-oa');
  if (officialAccount instanceof WechatOaChannel) {
    routes.push((app) => registerWechatOaPush(app, officialAccount));
    routes.push((app) => registerWechatOaSubscribePage(app, officialAccount));
  }
  return routes;
}
