import { readFileSync } from 'node:fs';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOutage } from '../../core/outage';
import { html } from '../html';
import { addSecurityHeaders } from '../security-headers';
import { accountAdminRoutes } from './account-admin-routes';
import { answersRoutes } from './answers-routes';
import { attendanceRoutes } from './attendance-routes';
import { auditRoutes } from './audit-routes';
import { authRoutes } from './auth-routes';
import { broadcastRoutes } from './broadcasts-routes';
import { certificateRoutes } from './certificates-routes';
import { classSessionChangeRoutes } from './class-session-changes-routes';
import { classSessionRoutes } from './class-sessions-routes';
import type { ConsoleDeps } from './console-deps';
import { allowedUnderGate, GATE_PAGES } from './console-gate';
import { consoleLoginOf, isPageRequest } from './console-login';
import { pageContext, sendPage } from './console-page';
import { contactRouteRoutes } from './contact-route-routes';
import { courseRoutes } from './courses-routes';
import { enrolRoutes } from './enrol-routes';
import { followUpRoutes } from './follow-ups-routes';
import { importRoutes } from './import-routes';
import { inboxRoutes, waitingCount } from './inbox-routes';
import { ownAccountRoutes } from './own-account-routes';
import { personDeleteRoutes } from './person-delete-routes';
import { reportRoutes } from './reports-routes';
import { resultsRoutes } from './results-routes';
import { rosterRoutes } from './roster-routes';
import { secondFactorRoutes } from './second-factor-routes';
import { subsidyRoutes } from './subsidies-routes';
import { surveyAnswersRoutes } from './survey-answers-routes';

const CSS = readFileSync(new URL('./console.css', import.meta.url));
const PUBLIC = new Set(['/console/login', '/console/assets/console.css']);
/** Status → the sentence of console:error.* that explains it. */
const ERROR_KEYS: Record<number, string> = {
  404: 'notFound',
  413: 'tooLarge',
  429: 'tooMany',
  503: 'unavailable',
};

/**
 * The coordinator console under /console: server-rendered pages (every value escaped), server-side logins,
 * a CSRF token on every form, and nothing without a signed-in coordinator or admin. Scope limits what each
 * coordinator sees; every action goes to the audit log (in the services it calls).
 */
export async function consolePlugin(
  scope: FastifyInstance,
  { deps, secret }: { deps: ConsoleDeps; secret: string },
) {
  addSecurityHeaders(scope);
  // Over the size, the import page says so (import-routes.ts); IMPORT_MAX_FILE_MB sets it.
  const fileSize = deps.config.IMPORT_MAX_FILE_MB * 1024 * 1024;
  await scope.register(fastifyMultipart, { limits: { fileSize, files: 1, fields: 10 } });
  await scope.register(fastifyCsrf, {
    cookieKey: 'jineng_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/console' },
    getUserInfo: (request) => request.consoleUser?.loginId ?? 'anonymous',
    getToken: (request) => {
      const body = request.body as { _csrf?: unknown } | undefined;
      const query = request.query as { _csrf?: unknown } | undefined;
      const token = body?._csrf ?? query?._csrf ?? request.headers['x-csrf-token'];
      return typeof token === 'string' ? token : undefined;
    },
    csrfOpts: { hmacKey: secret, userInfo: true },
  });

  scope.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (PUBLIC.has(path)) return;
    const user = await consoleLoginOf(request, deps.accounts);
    if (!user) return refuse(request, reply, 401);
    if (!user.access) return refuse(request, reply, 403);
    request.consoleUser = { ...user, access: user.access };
    // A sign-in step left to do (second-factor code, new password, an admin's second factor): only that page.
    if (user.gate && !allowedUnderGate(user.gate, path)) {
      if (isPageRequest(request)) return reply.redirect(GATE_PAGES[user.gate], 302);
      return refuse(request, reply, 403, 'accounts:gate.finish');
    }
    // The navigation's count of open follow-ups, on pages only.
    if (!user.gate && isPageRequest(request))
      request.openFollowUps = await deps.followUps.openCount(user.access);
    // And of inbox items waiting for staff (not for scripts nor the inbox's event stream).
    if (!user.gate && isPageRequest(request) && !/^\/console\/(assets\/|inbox\/events$)/.test(path))
      request.waitingInbox = await waitingCount(deps, request);
  });
  scope.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'POST') scope.csrfProtection(request, reply, done);
    else done();
  });

  scope.setErrorHandler((error: FastifyError, request, reply) => {
    // PostgreSQL or Redis not answering: 503 and "try again in a minute", logged as a warning.
    const status = isOutage(error)
      ? 503
      : error.statusCode && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    if (status === 503) request.log.warn({ err: error, url: request.url }, 'console: a dependency is away');
    else if (status >= 500) request.log.error({ err: error, url: request.url }, 'console request failed');
    const ctx = pageContext(request, reply, deps);
    const key = error.code?.startsWith('FST_CSRF')
      ? 'csrf'
      : (ERROR_KEYS[status] ?? (status >= 500 ? 'server' : 'badRequest'));
    return sendPage(
      reply,
      ctx,
      ctx.t('console:error.title'),
      html`<p class="error">${ctx.t(`console:error.${key}`)}</p><p><a href="/console/courses">${ctx.t('console:error.back')}</a></p>`,
      { status },
    );
  });

  scope.get('/console/assets/console.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(CSS),
  );
  scope.get('/console', async (_request, reply) => reply.redirect('/console/courses'));
  for (const routes of [
    authRoutes,
    courseRoutes,
    classSessionRoutes,
    classSessionChangeRoutes,
    importRoutes,
    rosterRoutes,
    attendanceRoutes,
    resultsRoutes,
    certificateRoutes,
    subsidyRoutes,
    enrolRoutes,
    personDeleteRoutes,
    contactRouteRoutes,
    broadcastRoutes,
    auditRoutes,
    followUpRoutes,
    reportRoutes,
    surveyAnswersRoutes,
    answersRoutes,
    inboxRoutes,
    secondFactorRoutes,
    ownAccountRoutes,
    accountAdminRoutes,
  ]) {
    await scope.register(routes, { deps });
  }

  /** Pages send the browser to sign in; anything else gets a plain status. No role at all: 403. */
  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    status: 401 | 403,
    message = status === 401 ? 'console:error.signIn' : 'console:error.noRole',
  ) {
    if (status === 401 && isPageRequest(request)) return reply.redirect('/console/login', 302);
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      ctx.t('console:error.title'),
      html`<p class="error">${ctx.t(message)}</p><p><a href="/console/login">${ctx.t('console:login.title')}</a></p>`,
      { status },
    );
  }
}
