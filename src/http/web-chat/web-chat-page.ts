import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LOCALES, type Locale } from '../../core/domain';
import { readLocaleResources } from '../../i18n/i18n';
import { html, jsonForScript } from '../html';
import { MESSAGE_BODY_LIMIT } from './web-chat-schemas';

const PUBLIC = new URL('./public/', import.meta.url);
const querySchema = z.object({ lang: z.enum(LOCALES).optional() }).catch({});

type Strings = Record<string, string>;

/** The chat page (Chinese by default, `?lang=en` for English), its script and its style; no build step. */
export async function webChatPage(scope: FastifyInstance): Promise<void> {
  const resources = readLocaleResources();
  const strings = Object.fromEntries(LOCALES.map((l) => [l, resources[l]?.['web'] as Strings])) as Record<
    Locale,
    Strings
  >;
  const assets = {
    'chat.js': { body: readFileSync(new URL('chat.js', PUBLIC)), type: 'text/javascript; charset=utf-8' },
    'chat.css': { body: readFileSync(new URL('chat.css', PUBLIC)), type: 'text/css; charset=utf-8' },
  };

  const page = (lang: Locale) => {
    const t = strings[lang];
    return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${t['title']}</title>
<link rel="stylesheet" href="/chat/chat.css">
</head>
<body>
<header class="bar">
  <div><h1 data-t="title">${t['title']}</h1><p class="sub" data-t="subtitle">${t['subtitle']}</p></div>
  <button id="lang" class="lang" type="button" data-t="switchTo">${t['switchTo']}</button>
</header>
<main id="log" class="log" aria-live="polite"></main>
<p id="status" class="status" role="status" hidden></p>
<form id="composer" class="composer" autocomplete="off" data-max-bytes="${String(MESSAGE_BODY_LIMIT)}">
  <label class="hidden" for="text" data-t="inputLabel">${t['inputLabel']}</label>
  <textarea id="text" name="text" rows="1" enterkeyhint="send" data-t-placeholder="placeholder" placeholder="${t['placeholder']}"></textarea>
  <button id="send" type="submit" data-t="send">${t['send']}</button>
</form>
<p class="privacy" data-t="privacy">${t['privacy']}</p>
<noscript><p class="status">${t['noscript']}</p></noscript>
<script id="strings" type="application/json">${jsonForScript(strings)}</script>
<script src="/chat/chat.js" defer></script>
</body>
</html>`.value;
  };

  for (const path of ['/', '/chat']) {
    scope.get(path, async (request, reply) => {
      const { lang } = querySchema.parse(request.query);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(page(lang ?? 'zh-CN'));
    });
  }
  // Browsers ask for it on every visit; a 204 keeps 404s out of the logs.
  scope.get('/favicon.ico', async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  );
  for (const [name, asset] of Object.entries(assets)) {
    scope.get(`/chat/${name}`, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body),
    );
  }
}
