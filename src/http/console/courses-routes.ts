import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { COURSE_STATUSES, inLocale } from '../../core/domain';
import type { CourseChange } from '../../services/course-admin-service';
import { FACT_COLUMNS } from '../../services/course-import/course-import-service';
import {
  courseFieldsSchema,
  fieldErrors,
  importRowSchema,
  scheduleOf,
  withoutBlanks,
} from '../../services/course-input-schema';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { type PageContext, pageContext, postButton, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import { courseForm, type FormErrors, type FormValues } from './course-form-view';

const listQuery = z
  .object({ status: z.enum(COURSE_STATUSES).optional(), q: z.string().max(50).optional() })
  .catch({});

/** A refused change, as the field it concerns and the reason. */
function changeErrors(change: CourseChange): FormErrors {
  if (change.status === 'code_taken') return [{ field: 'code', key: 'code_taken' }];
  if (change.status === 'not_in_scope') return [{ field: 'county', key: 'not_in_scope' }];
  if (change.status === 'capacity_below_taken') return [{ field: 'capacity', key: 'capacity_below_taken' }];
  return [{ field: 'code', key: 'not_found' }];
}

export async function courseRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const { courses } = deps;

  scope.get('/console/courses', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const filter = listQuery.parse(request.query);
    const user = request.consoleUser!;
    const rows = await courses.list(user.access, filter);
    const canCreate = user.access.role === 'admin' || user.access.counties.length > 0;
    const body = html`<form method="get" class="filters">
  <input name="q" value="${filter.q ?? ''}" placeholder="${t('console:courses.search')}">
  <select name="status"><option value="">${t('console:courses.allStatuses')}</option>${COURSE_STATUSES.map(
    (s) =>
      html`<option value="${s}"${filter.status === s ? html` selected` : ''}>${t(`console:status.${s}`)}</option>`,
  )}</select><button type="submit">${t('console:courses.filter')}</button>
  ${canCreate ? html`<a class="button" href="/console/courses/new">${t('console:courses.new')}</a>` : ''}
</form>
${
  rows.length
    ? html`<table><thead><tr><th>${t('console:course.field.code')}</th><th>${t('console:course.field.title')}</th><th>${t('console:course.field.county')}</th><th>${t('console:course.field.status')}</th><th>${t('console:courses.seats')}</th><th>${t('console:courses.next')}</th></tr></thead><tbody>
${rows.map(
  (c) =>
    html`<tr><td><a href="/console/courses/${c.code}">${c.code}</a></td><td>${inLocale(ctx.locale, c.title, c.titleEn)}</td><td>${t(`domain:county.${c.county}`)}</td><td>${t(`console:status.${c.status}`)}</td><td>${c.seatsTaken} / ${c.capacity}</td><td>${ctx.dateTime(c.sessions[0]?.startsAt)}</td></tr>`,
)}</tbody></table>`
    : html`<p>${t('console:courses.none')}</p>`
}`;
    return sendPage(reply, ctx, t('console:courses.title'), body);
  });

  scope.get('/console/courses/new', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      ctx.t('console:courses.new'),
      courseForm(
        ctx,
        '/console/courses',
        { capacity: '30', realNameRequired: 'yes', status: 'open', sessions: '1', everyDays: '7' },
        [],
        true,
      ),
    );
  });

  scope.post('/console/courses', async (request, reply) => {
    const values = withoutBlanks(request.body as Record<string, unknown>);
    const user = request.consoleUser!;
    const parsed = importRowSchema(deps.config.TIMEZONE).safeParse(values);
    const change = parsed.success
      ? await courses.create(
          user.access,
          user.personId,
          parsed.data,
          scheduleOf(parsed.data, deps.config.TIMEZONE),
        )
      : undefined;
    if (change?.status === 'ok') return reply.redirect(`/console/courses/${change.code}`, 303);
    const ctx = pageContext(request, reply, deps);
    const errors = parsed.success ? changeErrors(change!) : fieldErrors(parsed.error);
    return sendPage(
      reply,
      ctx,
      ctx.t('console:courses.new'),
      courseForm(ctx, '/console/courses', values, errors, true),
      { status: 400 },
    );
  });

  scope.get('/console/courses/:code', async (request, reply) => {
    const course = await courses.find(request.consoleUser!.access, courseCodeOf(request.params));
    if (!course) throw notFound();
    const ctx = pageContext(request, reply, deps);
    return sendPage(reply, ctx, `${course.code} ${course.title}`, overview(ctx, course));
  });

  scope.get('/console/courses/:code/edit', async (request, reply) => {
    const course = await courses.find(request.consoleUser!.access, courseCodeOf(request.params));
    if (!course) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const values: FormValues = {
      ...Object.fromEntries(
        Object.entries(course).map(([k, v]) => [
          k,
          v === null || typeof v === 'object' ? undefined : String(v),
        ]),
      ),
      realNameRequired: course.realNameRequired ? 'yes' : 'no',
      eligibleGroups: course.eligibleGroups.map((g) => ctx.t(`domain:group.${g}`)).join('、'),
      eligibleCounties: course.eligibleCounties.map((c) => ctx.t(`domain:county.${c}`)).join('、'),
      prerequisiteCourseCodes: course.prerequisiteCourseCodes.join('、'),
    };
    return sendPage(
      reply,
      ctx,
      ctx.t('console:course.edit'),
      courseForm(ctx, `/console/courses/${course.code}/edit`, values, [], false),
    );
  });

  scope.post('/console/courses/:code/edit', async (request, reply) => {
    const code = courseCodeOf(request.params);
    const values = { ...withoutBlanks(request.body as Record<string, unknown>), code };
    const user = request.consoleUser!;
    const parsed = courseFieldsSchema.safeParse(values);
    const change = parsed.success
      ? await courses.update(user.access, user.personId, code, parsed.data)
      : undefined;
    if (change?.status === 'not_found') throw notFound();
    if (change?.status === 'ok') return reply.redirect(`/console/courses/${code}`, 303);
    const ctx = pageContext(request, reply, deps);
    const errors = parsed.success ? changeErrors(change!) : fieldErrors(parsed.error);
    return sendPage(
      reply,
      ctx,
      ctx.t('console:course.edit'),
      courseForm(ctx, `/console/courses/${code}/edit`, values, errors, false),
      { status: 400 },
    );
  });

  scope.post('/console/courses/:code/close', async (request, reply) => {
    const user = request.consoleUser!;
    const change = await courses.close(user.access, user.personId, courseCodeOf(request.params));
    if (change.status !== 'ok') throw notFound();
    return reply.redirect(`/console/courses/${change.code}`, 303);
  });
}

/** Course facts shown on the course page when stated (the edit form has them all, English texts too). */
const FACT_FIELDS = FACT_COLUMNS.filter(
  (
    f,
  ): f is Exclude<
    (typeof FACT_COLUMNS)[number],
    `${string}En` | 'eligibleGroups' | 'eligibleCounties' | 'prerequisiteCourseCodes'
  > =>
    !f.endsWith('En') &&
    f !== 'eligibleGroups' &&
    f !== 'eligibleCounties' &&
    f !== 'prerequisiteCourseCodes',
);

type CourseWithClassSessions = NonNullable<Awaited<ReturnType<ConsoleDeps['courses']['find']>>>;

function overview(ctx: PageContext, course: CourseWithClassSessions) {
  const { t } = ctx;
  const base = `/console/courses/${course.code}`;
  const upcoming = course.sessions.filter((s) => !s.cancelled);
  return html`<dl class="facts">
<dt>${t('console:course.field.county')}</dt><dd>${t(`domain:county.${course.county}`)}</dd>
<dt>${t('console:course.field.trade')}</dt><dd>${t(`domain:trade.${course.trade}`)}</dd>
<dt>${t('console:course.field.venue')}</dt><dd>${course.venue}</dd>
<dt>${t('console:course.field.status')}</dt><dd>${t(`console:status.${course.status}`)}</dd>
<dt>${t('console:courses.seats')}</dt><dd>${course.seatsTaken} / ${course.capacity}</dd>
<dt>${t('console:course.field.realNameRequired')}</dt><dd>${t(`console:yesNo.${course.realNameRequired ? 'yes' : 'no'}`)}</dd>
<dt>${t('console:courses.next')}</dt><dd>${ctx.dateTime(upcoming[0]?.startsAt)}</dd>
${course.eligibleGroups.length ? html`<dt>${t('console:course.field.eligibleGroups')}</dt><dd>${course.eligibleGroups.map((g) => t(`domain:group.${g}`)).join('、')}</dd>` : ''}
${course.eligibleCounties.length ? html`<dt>${t('console:course.field.eligibleCounties')}</dt><dd>${course.eligibleCounties.map((c) => t(`domain:county.${c}`)).join('、')}</dd>` : ''}
${course.prerequisiteCourseCodes.length ? html`<dt>${t('console:course.field.prerequisiteCourseCodes')}</dt><dd>${course.prerequisiteCourseCodes.join('、')}</dd>` : ''}
${FACT_FIELDS.filter((f) => course[f] !== null).map(
  (f) =>
    html`<dt>${t(`console:course.field.${f}`)}</dt><dd>${f === 'lodging' || f === 'meals' ? t(`console:course.provision.${course[f]}`) : String(course[f])}</dd>`,
)}
</dl>
<p class="actions">
<a class="button" href="${base}/edit">${t('console:course.edit')}</a>
<a class="button" href="${base}/sessions">${t('console:classSession.title')}</a>
<a class="button" href="${base}/roster">${t('console:roster.title')}</a>
<a class="button" href="${base}/attendance">${t('attendance:console.title')}</a>
<a class="button" href="${base}/enrol">${t('console:enrol.title')}</a>
<a class="button" href="${base}/complete">${t('outcomes:console.complete.link')}</a>
<a class="button" href="${base}/certificates">${t('outcomes:console.certificates.link')}</a>
<a class="button" href="${base}/subsidies">${t('outcomes:console.subsidies.link')}</a>
<a class="button" href="/console/broadcasts/new?course=${course.code}">${t('console:broadcast.new')}</a>
${course.status === 'open' ? postButton(ctx, `${base}/close`, t('console:course.close')) : ''}
</p>`;
}
