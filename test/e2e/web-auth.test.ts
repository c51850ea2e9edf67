import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { createHttpServer } from '../../src/http/server';
import { registerWebApp } from '../../src/http/web-app';
import { testRuntime } from '../support/converse';

let runtime: Runtime;
let app: FastifyInstance;
let base: string;
const routes: { method: string; url: string }[] = [];
/** The only console pages open to everyone: the sign-in page and its style sheet. */
const PUBLIC = new Set(['/console/login', '/console/assets/console.css']);

beforeAll(async () => {
  runtime = await testRuntime({
    WEB_SESSION_SECRET: 'auth-test-secret-0123456789abcdefghijkl',
    WEB_IP_RATE_PER_MINUTE: '100000',
  });
  app = createHttpServer(runtime);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await registerWebApp(app, runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

/** A concrete URL for a route pattern: course codes, ids and wildcards filled in. */
const concrete = (url: string) =>
  url
    .replace(':code', 'ZX-DS-01')
    .replace(':id', '00000000-0000-4000-8000-000000000000')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace('*', 'x');

describe('console and admin routes without a signed-in coordinator', () => {
  it('are all refused: pages redirect to sign-in, anything else gets 401', async () => {
    const guarded = routes.filter(
      (r) => /^\/(console|admin)/.test(r.url) && !PUBLIC.has(r.url) && r.method !== 'OPTIONS',
    );
    expect(guarded.length).toBeGreaterThan(20);
    const cookies = ['', 'jineng_console=forged-token.forged-signature', 'jineng_console=AAAA'];
    for (const { method, url } of guarded) {
      for (const cookie of cookies) {
        const response = await fetch(`${base}${concrete(url)}`, {
          method,
          headers: cookie ? { cookie } : {},
          redirect: 'manual',
          body: method === 'GET' || method === 'HEAD' ? undefined : '',
        });
        const where = `${method} ${url} ${cookie}`;
        if (method === 'GET' || method === 'HEAD') {
          expect(response.status, where).toBe(302);
          expect(response.headers.get('location'), where).toBe('/console/login');
        } else {
          expect(response.status, where).toBe(401);
        }
      }
    }
  });

  it('refuse a sign-in post without the form token (CSRF)', async () => {
    const response = await fetch(`${base}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'mode=password&username=admin&password=whatever-long',
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
  });

  it('keep the sign-in page and its style open', async () => {
    expect((await fetch(`${base}/console/login`)).status).toBe(200);
    expect((await fetch(`${base}/console/assets/console.css`)).status).toBe(200);
  });
});
