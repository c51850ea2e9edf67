import { PROVISIONS } from '../../core/courses/course-facts';
import { COUNTIES, COURSE_STATUSES, TRADES, TRAINING_TYPES } from '../../core/domain';
import { html, type SafeHtml } from '../html';
import { csrfField, type PageContext } from './console-page';

export type FormValues = Record<string, string | undefined>;
export type FormErrors = { field: string; key: string }[];

export function errorFor(ctx: PageContext, errors: FormErrors, field: string): SafeHtml {
  const e = errors.find((x) => x.field === field);
  return e ? html`<span class="field-error">${ctx.t(`console:field.error.${e.key}`)}</span>` : html``;
}

export function textField(
  ctx: PageContext,
  values: FormValues,
  errors: FormErrors,
  name: string,
  options: { type?: string; required?: boolean; readonly?: boolean; label?: string } = {},
) {
  return html`<label>${options.label ?? ctx.t(`console:course.field.${name}`)}<input name="${name}" type="${options.type ?? 'text'}" value="${values[name] ?? ''}"${options.required ? html` required` : ''}${options.readonly ? html` readonly` : ''}>${errorFor(ctx, errors, name)}</label>`;
}

function select(
  ctx: PageContext,
  values: FormValues,
  errors: FormErrors,
  name: string,
  ids: readonly string[],
  labelOf: (id: string) => string,
) {
  return html`<label>${ctx.t(`console:course.field.${name}`)}<select name="${name}">${ids.map(
    (id) => html`<option value="${id}"${values[name] === id ? html` selected` : ''}>${labelOf(id)}</option>`,
  )}</select>${errorFor(ctx, errors, name)}</label>`;
}

/** Lodging or meals: not stated (empty), provided, not provided, subsidised. */
function provisionSelect(ctx: PageContext, values: FormValues, errors: FormErrors, name: string) {
  return html`<label>${ctx.t(`console:course.field.${name}`)}<select name="${name}"><option value="">${ctx.t('console:course.provision.unknown')}</option>${PROVISIONS.map(
    (id) =>
      html`<option value="${id}"${values[name] === id ? html` selected` : ''}>${ctx.t(`console:course.provision.${id}`)}</option>`,
  )}</select>${errorFor(ctx, errors, name)}</label>`;
}

/** What people ask after seeing a course ("学几天", "包吃住不", "在哪上课"); the bot answers from these. */
function factsFieldset(ctx: PageContext, values: FormValues, errors: FormErrors) {
  return html`<fieldset><legend>${ctx.t('console:course.facts')}</legend>
${textField(ctx, values, errors, 'durationDays', { type: 'number' })}
${textField(ctx, values, errors, 'dailyHours')}
${provisionSelect(ctx, values, errors, 'lodging')}
${provisionSelect(ctx, values, errors, 'meals')}
${textField(ctx, values, errors, 'lodgingNote')}
${textField(ctx, values, errors, 'address')}
${textField(ctx, values, errors, 'contactPhone', { type: 'tel' })}
${textField(ctx, values, errors, 'materials')}
${textField(ctx, values, errors, 'materialsEn')}
${textField(ctx, values, errors, 'certificate')}
${textField(ctx, values, errors, 'certificateEn')}
</fieldset>
<fieldset><legend>${ctx.t('console:course.eligibility')}</legend>
<p class="hint">${ctx.t('console:course.eligibilityHint')}</p>
${textField(ctx, values, errors, 'minAge', { type: 'number' })}
${textField(ctx, values, errors, 'maxAge', { type: 'number' })}
${textField(ctx, values, errors, 'eligibleGroups')}
${textField(ctx, values, errors, 'eligibleCounties')}
${textField(ctx, values, errors, 'prerequisiteCourseCodes')}
${textField(ctx, values, errors, 'prerequisiteNote')}
</fieldset>`;
}

/** The course form, for a new course (code editable) or an existing one. */
export function courseForm(
  ctx: PageContext,
  action: string,
  values: FormValues,
  errors: FormErrors,
  isNew: boolean,
) {
  const { t } = ctx;
  return html`<form method="post" action="${action}" class="form">${csrfField(ctx)}
${errors.length ? html`<p class="error" role="alert">${t('console:form.fix')}</p>` : ''}
${textField(ctx, values, errors, 'code', { required: true, readonly: !isNew })}
<p class="hint">${t('console:course.codeHint')}</p>
${textField(ctx, values, errors, 'title', { required: true })}
${textField(ctx, values, errors, 'titleEn')}
${select(ctx, values, errors, 'trade', TRADES, (id) => t(`domain:trade.${id}`))}
${select(ctx, values, errors, 'trainingType', TRAINING_TYPES, (id) => t(`domain:trainingType.${id}`))}
${select(ctx, values, errors, 'county', COUNTIES, (id) => t(`domain:county.${id}`))}
${textField(ctx, values, errors, 'venue', { required: true })}
${textField(ctx, values, errors, 'venueEn')}
${textField(ctx, values, errors, 'capacity', { type: 'number', required: true })}
${textField(ctx, values, errors, 'feeYuan', { type: 'number' })}
${select(ctx, values, errors, 'realNameRequired', ['yes', 'no'], (id) => t(`console:yesNo.${id}`))}
${select(ctx, values, errors, 'status', COURSE_STATUSES, (id) => t(`console:status.${id}`))}
<label>${t('console:course.field.description')}<textarea name="description" rows="3">${values['description'] ?? ''}</textarea>${errorFor(ctx, errors, 'description')}</label>
<label>${t('console:course.field.subsidyText')}<textarea name="subsidyText" rows="2">${values['subsidyText'] ?? ''}</textarea>${errorFor(ctx, errors, 'subsidyText')}</label>
${factsFieldset(ctx, values, errors)}
${
  isNew
    ? html`<fieldset><legend>${t('console:course.firstSession')}</legend>
${textField(ctx, values, errors, 'startsAt', { type: 'datetime-local', label: t('console:classSession.startsAt') })}
${textField(ctx, values, errors, 'endsAt', { type: 'datetime-local', label: t('console:classSession.endsAt') })}
${textField(ctx, values, errors, 'sessions', { type: 'number', label: t('console:import.column.sessions') })}
${textField(ctx, values, errors, 'everyDays', { type: 'number', label: t('console:import.column.everyDays') })}
</fieldset>`
    : ''
}
<button type="submit">${t(isNew ? 'console:course.create' : 'console:course.save')}</button>
</form>`;
}
