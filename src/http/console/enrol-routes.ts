import type { FastifyInstance, FastifyReply } from 'fastify';
import { redactIdNumbers } from '../../core/people/mask';
import { fieldErrors } from '../../services/course-input-schema';
import { onBehalfSchema } from '../../services/on-behalf-enrolment-service';
import { html } from '../html';
import type { ConsoleDeps } from './console-deps';
import { csrfField, type PageContext, pageContext, sendPage } from './console-page';
import { courseCodeOf, notFound } from './console-params';
import { errorFor, type FormErrors, type FormValues, textField } from './course-form-view';

/**
 * The flat form, reshaped: consent fields go under `consent`, the checkbox becomes a boolean. The relation is
 * free text that goes to the audit log, so an ID number typed into it is masked before anything keeps it.
 */
function fromForm(f: FormValues) {
  return onBehalfSchema.safeParse({
    realName: f['realName'],
    phone: f['phone'],
    idNumber: f['idNumber'],
    consent: {
      confirmed: f['consent'] === 'yes',
      givenBy: f['givenBy'],
      relation: f['relation'] === undefined ? undefined : redactIdNumbers(f['relation']),
      method: f['method'],
    },
  });
}

/** What a form shown again keeps: never the ID number (nor one typed into the relation), in any form. */
function shownAgain(values: FormValues): FormValues {
  const relation = values['relation'];
  return {
    ...values,
    idNumber: undefined,
    relation: relation === undefined ? undefined : redactIdNumbers(relation),
  };
}

/** The ID field: always empty when the page is sent, and never remembered by the browser's form history. */
function idField(ctx: PageContext, errors: FormErrors, required: boolean, retype: boolean) {
  const label = ctx.t(required ? 'console:enrol.idRequired' : 'console:enrol.idOptional');
  return html`<label>${label}<input name="idNumber" type="text" value="" autocomplete="off"${required ? html` required` : ''}>${errorFor(ctx, errors, 'idNumber')}</label>
${retype ? html`<p class="hint" role="note">${ctx.t('console:enrol.idRetype')}</p>` : ''}`;
}

function radios(ctx: PageContext, values: FormValues, name: string, options: string[]) {
  return options.map(
    (o) =>
      html`<label class="radio"><input type="radio" name="${name}" value="${o}"${values[name] === o ? html` checked` : ''}> ${ctx.t(`console:enrol.${name}.${o}`)}</label>`,
  );
}

function enrolForm(
  ctx: PageContext,
  code: string,
  realNameRequired: boolean,
  values: FormValues,
  errors: FormErrors,
  idTyped = false,
) {
  const { t } = ctx;
  return html`<p><a href="/console/courses/${code}">← ${code}</a></p>
<p class="hint">${t('console:enrol.intro')}</p>
<form method="post" action="/console/courses/${code}/enrol" class="form">${csrfField(ctx)}
${errors.length ? html`<p class="error" role="alert">${t('console:form.fix')}</p>` : ''}
${textField(ctx, values, errors, 'realName', { required: true, label: t('console:roster.column.name') })}
${textField(ctx, values, errors, 'phone', { type: 'tel', required: true, label: t('console:roster.column.phone') })}
${idField(ctx, errors, realNameRequired, idTyped)}
<fieldset><legend>${t('console:enrol.consentTitle')}</legend>
<p>${t('console:enrol.givenByLabel')}</p>${radios(ctx, values, 'givenBy', ['self', 'family'])}
<label>${t('console:enrol.relation')}<input name="relation" value="${values['relation'] ?? ''}"></label>
<p>${t('console:enrol.methodLabel')}</p>${radios(ctx, values, 'method', ['in_person', 'phone', 'written'])}
<label class="radio"><input type="checkbox" name="consent" value="yes"${values['consent'] === 'yes' ? html` checked` : ''}> ${t('console:enrol.consentText')}</label>
${errorFor(ctx, errors, 'consent')}
</fieldset>
<button type="submit">${t('console:enrol.submit')}</button>
</form>`;
}

/**
 * The person is registered outside the coordinator's scope: not signed up, and nothing of theirs (nor what
 * was typed) is shown; the page says who was told. 409: the sign-up did not happen.
 */
function referred(ctx: PageContext, reply: FastifyReply, title: string, code: string) {
  return sendPage(
    reply,
    ctx,
    title,
    html`<p class="error" role="alert">${ctx.t('scope:referredEnrol')}</p><p><a class="button" href="/console/courses/${code}/enrol">${ctx.t('console:enrol.another')}</a></p>`,
    { status: 409 },
  );
}

/** A coordinator signs up a worker who asked them to, with the worker's (or family's) consent recorded. */
export async function enrolRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.get('/console/courses/:code/enrol', async (request, reply) => {
    const course = await deps.courses.find(request.consoleUser!.access, courseCodeOf(request.params));
    if (!course) throw notFound();
    const ctx = pageContext(request, reply, deps);
    return sendPage(
      reply,
      ctx,
      `${ctx.t('console:enrol.title')} · ${course.code}`,
      enrolForm(ctx, course.code, course.realNameRequired, { givenBy: 'self', method: 'in_person' }, []),
    );
  });

  scope.post('/console/courses/:code/enrol', async (request, reply) => {
    const user = request.consoleUser!;
    const course = await deps.courses.find(user.access, courseCodeOf(request.params));
    if (!course) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const values = Object.fromEntries(
      Object.entries((request.body ?? {}) as Record<string, unknown>).filter(
        ([, v]) => typeof v === 'string',
      ),
    ) as FormValues;
    const title = `${ctx.t('console:enrol.title')} · ${course.code}`;
    const idTyped = Boolean(values['idNumber']?.trim());
    const again = (errors: FormErrors) =>
      sendPage(
        reply,
        ctx,
        title,
        enrolForm(ctx, course.code, course.realNameRequired, shownAgain(values), errors, idTyped),
        { status: 400 },
      );
    const parsed = fromForm(values);
    if (!parsed.success) {
      return again(
        fieldErrors(parsed.error).map((e) =>
          e.field === 'consent' ? { field: 'consent', key: 'consent' } : e,
        ),
      );
    }
    const result = await deps.onBehalf.enrol(
      user.access,
      user.personId,
      course.code,
      parsed.data,
      ctx.locale,
    );
    if (result.status === 'not_found') throw notFound();
    if (result.status === 'invalid')
      return again([{ field: result.field, key: result.field === 'phone' ? 'phone' : 'id_number' }]);
    if (result.status === 'id_required') return again([{ field: 'idNumber', key: 'required' }]);
    if (result.status === 'id_taken') return again([{ field: 'idNumber', key: 'id_taken' }]);
    if (result.status === 'id_mismatch') return again([{ field: 'idNumber', key: 'id_mismatch' }]);
    if (result.status === 'referred') return referred(ctx, reply, title, course.code);
    const outcome = result.outcome;
    const message = ctx.t(`console:enrol.outcome.${outcome.status}`, {
      code: course.code,
      position: 'position' in outcome ? outcome.position : '',
    });
    return sendPage(
      reply,
      ctx,
      title,
      html`<p class="notice" role="status">${message}</p>${result.existing ? html`<p class="hint" role="note">${ctx.t('scope:keptExisting')}</p>` : ''}<p><a class="button" href="/console/courses/${course.code}/roster">${ctx.t('console:roster.title')}</a> <a class="button" href="/console/courses/${course.code}/enrol">${ctx.t('console:enrol.another')}</a></p>`,
    );
  });
}
