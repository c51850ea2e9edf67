import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OA_NOTICE_KINDS, type OaNoticeKind } from '../../config';
import { LOCALES, type Locale } from '../../core/domain';
import type { Translate } from '../../core/i18n';
import { html, jsonForScript, type SafeHtml } from '../../http/html';
import type { WechatOaChannel } from './wechat-oa-channel';
import { type JsSdkSignature, signPage } from './wechat-oa-jssdk';

/** Where the subscription-consent page is served; WECHAT_OA_SUBSCRIBE_URL defaults to it (wechat-oa-factory.ts). */
export const SUBSCRIBE_PAGE_PATH = '/wechat-oa/subscribe';
const ASSETS = '/wechat-oa/assets';

/**
 * The official JS-SDK 1.6.0 (the first with open tags such as wx-open-subscribe), served from this origin: the
 * npm package jweixin-module ships res.wx.qq.com/open/js/jweixin-1.6.0.js as it is (it sets window.wx).
 */
const JSSDK = readFileSync(createRequire(import.meta.url).resolve('jweixin-module'));
const PUBLIC = new URL('./public/', import.meta.url);

const querySchema = z
  .object({
    lang: z.enum(LOCALES).optional(),
    /** Only these kinds of notice (comma-separated), e.g. ?kind=reminder,schedule_change. */
    kind: z.string().max(200).optional(),
  })
  .catch({});

/**
 * The page's own policy: its scripts from this origin only; inline style allowed because WeChat renders the
 * button's <style> template (slot="style") inside the open tag; the JS-SDK's usage report image from
 * open.weixin.qq.com (sent only inside WeChat).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https://open.weixin.qq.com",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SubscribePageModel {
  lang: Locale;
  t: Translate;
  appId: string;
  /** The configured subscription notices offered here, in OA_NOTICE_KINDS order. */
  notices: { kind: OaNoticeKind; templateId: string; longTerm: boolean }[];
  /** The wx.config signature; undefined when the jsapi_ticket could not be had. */
  signature?: JsSdkSignature;
}

/** The button's look, rendered by WeChat inside the open tag (its own style scope). */
const BUTTON_STYLE =
  '.btn{display:block;width:100%;padding:12px 0;border:0;border-radius:8px;background:#07c160;color:#fff;font-size:17px}';

/** The page: what the notices are, the <wx-open-subscribe> button for their template ids, a status line. */
export function renderSubscribePage(model: SubscribePageModel): string {
  const { t, lang, notices, signature } = model;
  const ids = notices.map((n) => n.templateId).join(',');
  const config = signature && {
    appId: model.appId,
    timestamp: signature.timestamp,
    nonceStr: signature.nonceStr,
    signature: signature.signature,
    url: signature.url,
  };
  const strings = Object.fromEntries(
    ['outsideWechat', 'accepted', 'rejected', 'failed', 'configFailed', 'unavailable'].map((k) => [
      k,
      t(`wechat-oa-subscribe:${k}`),
    ]),
  );
  const button: SafeHtml | string = notices.length
    ? html`<wx-open-subscribe id="subscribe-button" template="${ids}">
<script type="text/wxtag-template" slot="style"><style>${BUTTON_STYLE}</style></script>
<script type="text/wxtag-template"><button class="btn">${t('wechat-oa-subscribe:button')}</button></script>
</wx-open-subscribe>`
    : '';
  const status = !notices.length
    ? t('wechat-oa-subscribe:nothing')
    : signature
      ? ''
      : t('wechat-oa-subscribe:unavailable');
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${t('wechat-oa-subscribe:title')}</title>
<link rel="stylesheet" href="${ASSETS}/subscribe.css">
</head>
<body>
<main class="page">
<h1>${t('wechat-oa-subscribe:title')}</h1>
<p class="lead">${t('wechat-oa-subscribe:lead')}</p>
${
  notices.length
    ? html`<h2>${t('wechat-oa-subscribe:kindsHeading')}</h2>
<ul class="kinds">${notices.map((n) => html`<li data-kind="${n.kind}">${t(`wechat-oa:title.${n.kind}`)}</li>`)}</ul>
${notices.some((n) => !n.longTerm) ? html`<p class="hint">${t('wechat-oa-subscribe:oneTime')}</p>` : ''}
${notices.some((n) => n.longTerm) ? html`<p class="hint">${t('wechat-oa-subscribe:longTerm')}</p>` : ''}
<div class="action">${button}</div>`
    : ''
}
<p id="status" class="status" role="status"${status ? '' : ' hidden'}>${status}</p>
<noscript><p class="status">${t('wechat-oa-subscribe:noScript')}</p></noscript>
<p class="privacy">${t('wechat-oa-subscribe:privacy')}</p>
</main>
<script id="strings" type="application/json">${jsonForScript(strings)}</script>
${config && notices.length ? html`<script id="wx-config" type="application/json">${jsonForScript(config)}</script>` : ''}
<script src="${ASSETS}/jweixin-1.6.0.js"></script>
<script src="${ASSETS}/subscribe.js"></script>
</body>
</html>`.value;
}

/**
 * GET /wechat-oa/subscribe: the subscription-consent page for the Service Account's subscription notices
 * (WECHAT_OA_SUBSCRIBE_TEMPLATES), signed for the JS-SDK with the shared jsapi_ticket. Opened in WeChat (the
 * domain must be a JS interface safe domain), it shows the <wx-open-subscribe> button; the person's choice
 * reaches us as the platform's subscribe_msg_popup_event push (wechat-oa-push.ts), which records the consent.
 */
export function registerWechatOaSubscribePage(app: FastifyInstance, channel: WechatOaChannel): void {
  const { options } = channel;
  const log = options.logger.child({ channel: 'wechat-oa', page: 'subscribe' });
  const assets: Record<string, { body: Buffer; type: string }> = {
    'jweixin-1.6.0.js': { body: JSSDK, type: 'text/javascript; charset=utf-8' },
    'subscribe.js': {
      body: readFileSync(new URL('subscribe.js', PUBLIC)),
      type: 'text/javascript; charset=utf-8',
    },
    'subscribe.css': {
      body: readFileSync(new URL('subscribe.css', PUBLIC)),
      type: 'text/css; charset=utf-8',
    },
  };
  /** The address the browser shows: the configured public address (behind a proxy), else the one asked. */
  const pageUrl = (request: FastifyRequest) =>
    `${options.publicBaseUrl ?? `${request.protocol}://${request.host}`}${request.url}`;

  void app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'same-origin');
    });

    scope.get(SUBSCRIBE_PAGE_PATH, async (request, reply) => {
      const query = querySchema.parse(request.query);
      const lang = query.lang ?? options.defaultLocale;
      const wanted = new Set(query.kind?.split(',').map((k) => k.trim()));
      const configured = OA_NOTICE_KINDS.flatMap((kind) => {
        const template = options.subscribeTemplates[kind];
        return template
          ? [{ kind, templateId: template.templateId, longTerm: Boolean(template.longTerm) }]
          : [];
      });
      const chosen = configured.filter((n) => wanted.has(n.kind));
      const notices = chosen.length ? chosen : configured;
      let signature: JsSdkSignature | undefined;
      if (notices.length) {
        try {
          signature = signPage(await channel.jsapiTickets.get(), pageUrl(request));
        } catch (error) {
          log.error({ err: error }, 'no jsapi_ticket: the subscribe button cannot be shown');
        }
      }
      const page = renderSubscribePage({
        lang,
        t: options.translator.forLocale(lang),
        appId: options.appId,
        notices,
        signature,
      });
      return reply
        .code(notices.length && !signature ? 503 : 200)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(page);
    });

    scope.get<{ Params: { file: string } }>(`${ASSETS}/:file`, async (request, reply) => {
      const asset = assets[request.params.file];
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
      return reply.header('cache-control', 'public, max-age=3600').type(asset.type).send(asset.body);
    });
  });
}
