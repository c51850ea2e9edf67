import type { AddressInfo } from 'node:net';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Runtime } from '../../src/app/compose';
import { httpRoutes } from '../../src/http/http-routes';
import { createHttpServer, registerRoutes } from '../../src/http/server';
import { registerWebApp } from '../../src/http/web-app';
import { consoleHttp } from './console';
import { testRuntime } from './converse';
import { isolatedDb } from './test-env';

export interface RouteSeen {
  method: string;
  url: string;
}

/**
 * The HTTP server `npm start` builds (the same registration), with an onRoute hook that records every route
 * as Fastify registers it: a table of routes can then be checked against what really exists. It listens on
 * 127.0.0.1 so the sign-in helpers can use it; tests drive pages with `app.inject`.
 */
export async function scopeWorld(): Promise<{
  runtime: Runtime;
  app: FastifyInstance;
  url: string;
  routes: RouteSeen[];
  close(): Promise<void>;
}> {
  const { url: databaseUrl } = await isolatedDb('scope');
  const runtime = await testRuntime({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    WEB_SESSION_SECRET: 'test-secret-for-web-cookies-0123456789abcdef',
    WEB_IP_RATE_PER_MINUTE: '100000',
  });
  const app = createHttpServer(runtime);
  const routes: RouteSeen[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await registerRoutes(app, httpRoutes(runtime));
  await registerWebApp(app, runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    runtime,
    app,
    url: `http://127.0.0.1:${port}`,
    routes,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

export interface InjectResponse {
  status: number;
  text: string;
  location?: string;
  /** The body as sent (a workbook's text is zipped: test/integration/access-scope.test.ts reads its cells). */
  raw?: Buffer;
  type?: string;
}

/**
 * A signed-in console user (or nobody, with an empty jar) driving pages through `app.inject`: Fastify's own
 * request handling, hooks, CSRF and all. The CSRF token comes from a page of the console read first.
 */
export function injectClient(app: FastifyInstance, jar: Map<string, string> = new Map()) {
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (setCookie: string | string[] | undefined) => {
    for (const c of [setCookie ?? []].flat()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!, value.join('='));
    }
  };
  async function send(method: 'GET' | 'POST', url: string, payload?: string, type?: string) {
    const response = await app.inject({
      method,
      url,
      payload,
      headers: { cookie: cookie(), ...(type ? { 'content-type': type } : {}) },
    });
    remember(response.headers['set-cookie']);
    const location = response.headers.location;
    const contentType = response.headers['content-type'];
    return {
      status: response.statusCode,
      text: response.body,
      location: typeof location === 'string' ? location : undefined,
      raw: response.rawPayload,
      type: typeof contentType === 'string' ? contentType : undefined,
    } satisfies InjectResponse;
  }
  let token = '';
  /** A form page of the console (the sign-in page for someone who may open no other). */
  async function ensureToken() {
    for (const page of ['/console/import', '/console/login']) {
      if (token) return;
      token = /name="_csrf" value="([^"]+)"/.exec((await send('GET', page)).text)?.[1] ?? '';
    }
  }
  const client = {
    get: (url: string) => send('GET', url),
    /** A form post with the CSRF token of the console (read from a page once). */
    async post(url: string, fields: Record<string, string> = {}) {
      await ensureToken();
      const body = new URLSearchParams({ _csrf: token, ...fields }).toString();
      return send('POST', url, body, 'application/x-www-form-urlencoded');
    },
    /** A multipart upload (the course import), with the CSRF token as a field. */
    async upload(url: string, file: { name: string; content: string }) {
      await ensureToken();
      const boundary = '----scope-table';
      const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
      const body =
        part('Content-Disposition: form-data; name="_csrf"', token) +
        part(
          `Content-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv`,
          file.content,
        ) +
        `--${boundary}--\r\n`;
      // As the import form does: a multipart body is read after the CSRF check, so the token rides in the URL.
      const withToken = `${url}${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}`;
      return send('POST', withToken, body, `multipart/form-data; boundary=${boundary}`);
    },
  };
  return client;
}

/** Signs up over real HTTP (the shared helper, second factor included) and returns its cookie jar. */
export async function signedInJar(url: string, code: string): Promise<Map<string, string>> {
  return (await consoleHttp(url, code)).jar;
}

/** Signs a console user up with an invite code and returns an inject client with their cookies and person id. */
export async function signedInActor(
  world: { app: FastifyInstance; url: string; runtime: Runtime },
  code: string,
) {
  const client = injectClient(world.app, await signedInJar(world.url, code));
  const [account] = await world.runtime.db.consoleAccount.findMany({
    orderBy: { createdAt: 'desc' },
    take: 1,
  });
  return { client, personId: account!.personId };
}
