import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { checkinToken } from '../../core/attendance/checkin-code';
import { ATTENDANCE_STATUSES, type EffectiveAttendance } from '../../core/attendance/checkin-rules';
import { inLocale } from '../../core/domain';
import type { AttendanceRow, SessionSummary } from '../../services/checkin-console-service';
import { checkinLinks } from '../../services/checkin-service';
import { html, SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';

const CSS = readFileSync(new URL('./attendance.css', import.meta.url));
const sessionParams = z.object({ n: z.coerce.number().int().min(1).max(10_000) });
const markBody = z.object({
  enrolment: z.uuid(),
  status: z.enum(ATTENDANCE_STATUSES),
  note: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
});
const noticeQuery = z.object({ saved: z.literal('1').optional() }).catch({});
const COUNTED: EffectiveAttendance[] = ['present', 'late', 'absent', 'excused', 'open', 'upcoming'];

const numberOf = (params: unknown) => {
  const parsed = sessionParams.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.n;
};

const style = html`<link rel="stylesheet" href="/console/assets/attendance.css">`;
const mark = (ctx: PageContext, status: EffectiveAttendance) =>
  html`<span class="att-${status}">${ctx.t(`attendance:console.status.${status}`)}</span>`;

/** The public address the QR code points at: CHECKIN_LINK_BASE_URL, else the address the console was opened on. */
function baseUrl(deps: ConsoleDeps, request: FastifyRequest): string {
  return deps.config.CHECKIN_LINK_BASE_URL ?? `${request.protocol}://${request.host}`;
}

function overviewPage(
  ctx: PageContext,
  code: string,
  sessions: SessionSummary[],
  trainees: number,
  rules: Record<string, number>,
) {
  const { t } = ctx;
  const base = `/console/courses/${code}/attendance`;
  return html`${style}<p><a href="/console/courses/${code}">← ${code}</a></p>
<p>${t('attendance:console.trainees', { count: trainees })}</p>
${
  sessions.length
    ? html`<table><thead><tr><th>#</th><th>${t('console:classSession.startsAt')}</th><th>${t('console:course.field.venue')}</th>${COUNTED.map(
        (c) => html`<th>${t(`attendance:console.status.${c}`)}</th>`,
      )}<th></th></tr></thead><tbody>${sessions.map(
        (s) =>
          html`<tr${s.cancelled ? html` class="muted"` : ''}><td>${s.number}</td><td>${ctx.dateTime(s.startsAt)}${s.cancelled ? html` <span class="small">${t('console:classSession.cancelled')}</span>` : ''}</td><td>${s.venue}</td>${COUNTED.map(
            (c) => html`<td>${s.counts[c] || ''}</td>`,
          )}<td><a href="${base}/${s.number}">${t('attendance:console.roster')}</a>${
            s.cancelled || s.state === 'closed'
              ? ''
              : html` · <a href="${base}/${s.number}/code">${t('attendance:console.projector')}</a>`
          }</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t('console:classSession.none')}</p>`
}
<p class="small">${t('attendance:console.rules', rules)}</p>`;
}

function rosterPage(
  ctx: PageContext,
  code: string,
  n: number,
  found: { state: string; window: { opensAt: Date; closesAt: Date }; rows: AttendanceRow[] },
  saved: boolean,
) {
  const { t } = ctx;
  const base = `/console/courses/${code}/attendance/${n}`;
  const options = (current: EffectiveAttendance) =>
    ATTENDANCE_STATUSES.map(
      (s) =>
        html`<option value="${s}"${s === current ? html` selected` : ''}>${t(`attendance:console.status.${s}`)}</option>`,
    );
  return html`${style}${saved ? html`<p class="notice" role="status">${t('attendance:console.saved')}</p>` : ''}
<p><a href="/console/courses/${code}/attendance">← ${t('attendance:console.title')}</a>
${found.state === 'closed' ? '' : html` <a class="button" href="${base}/code">${t('attendance:console.projector')}</a>`}</p>
<p>${t('attendance:console.window', { opens: ctx.dateTime(found.window.opensAt), closes: ctx.dateTime(found.window.closesAt) })}</p>
${
  found.rows.length
    ? html`<table><thead><tr><th>${t('console:roster.column.name')}</th><th>${t('attendance:console.phoneTail')}</th><th>${t('attendance:console.column.status')}</th><th>${t('attendance:console.column.checkedInAt')}</th><th>${t('attendance:console.column.correct')}</th></tr></thead><tbody>${found.rows.map(
        (r) =>
          html`<tr data-enrolment="${r.enrolmentId}"><td>${r.deleted ? t('console:personDelete.deletedMark') : r.name || '—'}</td><td>${r.phoneTail}</td><td>${mark(ctx, r.status)}${r.marked ? html` <span class="small">${t('attendance:console.byHand')}</span>` : r.method ? html` <span class="small">${t(`attendance:console.method.${r.method}`)}</span>` : ''}${r.leaveReason ? html` <span class="small">${r.leaveReason}</span>` : ''}</td><td>${ctx.dateTime(r.checkedInAt)}</td><td><form method="post" action="${base}/mark" class="inline">${csrfField(ctx)}<input type="hidden" name="enrolment" value="${r.enrolmentId}"><select name="status" aria-label="${t('attendance:console.column.status')}">${options(r.status)}</select> <input name="note" maxlength="200" placeholder="${t('attendance:console.note')}" aria-label="${t('attendance:console.note')}"> <button type="submit">${t('attendance:console.save')}</button></form></td></tr>`,
      )}</tbody></table>`
    : html`<p>${t('console:roster.none')}</p>`
}`;
}

async function qr(text: string): Promise<SafeHtml> {
  return new SafeHtml(await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }));
}

/**
 * Attendance (issue 20, docs/attendance.md): a course's sessions with their counts, a session's roster with
 * hand corrections (audited), and the projector page with the rotating code and its QR code(s).
 */
export async function attendanceRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const { checkin } = deps;
  const rulesParams = {
    step: checkin.rules.stepMinutes,
    opens: checkin.rules.opensBeforeMinutes,
    closes: checkin.rules.closesAfterMinutes,
    late: checkin.rules.lateAfterMinutes,
  };

  scope.get('/console/assets/attendance.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(CSS),
  );

  scope.get('/console/courses/:code/attendance', async (request, reply) => {
    const user = request.consoleUser!;
    const found = await checkin.overview(user.access, courseCodeOf(request.params), new Date());
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const title = `${ctx.t('attendance:console.title')} · ${found.course.code}`;
    const page = overviewPage(ctx, found.course.code, found.sessions, found.trainees, rulesParams);
    return sendPage(reply, ctx, title, page);
  });

  scope.get('/console/courses/:code/attendance/:n', async (request, reply) => {
    const user = request.consoleUser!;
    const n = numberOf(request.params);
    const found = await checkin.session(user.access, courseCodeOf(request.params), n, new Date());
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { saved } = noticeQuery.parse(request.query);
    const title = ctx.t('attendance:console.sessionTitle', {
      code: found.course.code,
      n,
      when: ctx.dateTime(found.session.startsAt),
    });
    return sendPage(reply, ctx, title, rosterPage(ctx, found.course.code, n, found, saved === '1'));
  });

  scope.post('/console/courses/:code/attendance/:n/mark', async (request, reply) => {
    const user = request.consoleUser!;
    const code = courseCodeOf(request.params);
    const n = numberOf(request.params);
    const body = markBody.safeParse(request.body);
    if (!body.success) throw notFound();
    const outcome = await checkin.mark(
      user.access,
      user.personId,
      code,
      n,
      { enrolmentId: body.data.enrolment, status: body.data.status, note: body.data.note },
      new Date(),
    );
    if (outcome !== 'ok') throw notFound();
    return reply.redirect(`/console/courses/${code}/attendance/${n}?saved=1`, 303);
  });

  scope.get('/console/courses/:code/attendance/:n/code', async (request, reply) => {
    const user = request.consoleUser!;
    const n = numberOf(request.params);
    const now = new Date();
    const found = await checkin.projector(user.access, courseCodeOf(request.params), n, now);
    if (!found) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const { course, session, shown } = found;
    const heading = html`<p class="checkin-course">${course.code} ${inLocale(ctx.locale, course.title, course.titleEn)} · ${t('attendance:console.sessionN', { n })} · ${ctx.dateTime(session.startsAt)}</p>`;
    const back = html`<p><a href="/console/courses/${course.code}/attendance/${n}">← ${t('attendance:console.roster')}</a></p>`;
    let body: SafeHtml;
    let refreshSeconds: number;
    if (shown) {
      const links = checkinLinks(
        baseUrl(deps, request),
        checkinToken(session.id, shown.code),
        deps.config.TELEGRAM_BOT_USERNAME,
      );
      const codes = [
        html`<figure class="checkin-qr">${await qr(links.web)}<figcaption>${t('attendance:console.qrWeb')}</figcaption></figure>`,
      ];
      if (links.telegram)
        codes.push(
          html`<figure class="checkin-qr">${await qr(links.telegram)}<figcaption>${t('attendance:console.qrTelegram')}</figcaption></figure>`,
        );
      body = html`${style}<div class="checkin-projector">${heading}
<p>${t('attendance:console.howTo')}</p>
<p class="checkin-code" data-code="${shown.code}">${shown.code}</p>
<p class="checkin-valid">${t('attendance:console.validUntil', { time: ctx.dateTime(shown.validUntil), minutes: deps.checkin.rules.stepMinutes })}</p>
<div class="checkin-qrs">${codes}</div>
<p class="small">${t('attendance:console.orOpen')} <a class="checkin-link" href="${links.web}">${links.web}</a></p>
${back}</div>`;
      // Reload just after the code changes (and at least every half minute).
      refreshSeconds = Math.min(
        30,
        Math.max(2, Math.ceil((shown.changesAt.getTime() - now.getTime()) / 1000) + 1),
      );
    } else {
      const key = found.state === 'before' ? 'attendance:console.notYet' : 'attendance:console.closed';
      body = html`${style}<div class="checkin-projector">${heading}
<p class="checkin-closed">${t(key, { opens: ctx.dateTime(found.window.opensAt), closes: ctx.dateTime(found.window.closesAt) })}</p>
${back}</div>`;
      refreshSeconds = found.state === 'before' ? 30 : 0;
    }
    return sendPage(reply, ctx, t('attendance:console.projectorTitle', { code: course.code, n }), body, {
      ...(refreshSeconds ? { refreshSeconds } : {}),
    });
  });
}
