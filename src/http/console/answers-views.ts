import type { CuratedAnswerView } from '../../services/curated-answers-service';
import type { UnansweredGroup } from '../../services/unanswered-service';
import { html, type SafeHtml } from '../html';
import { csrfField, type PageContext, postButton } from './console-page';
import { countyOptions } from './county-options';

/** What the answer form shows: the fields as typed (questions one per line). */
export interface AnswerFormValues {
  questions: string;
  answer: string;
  clauses: string;
  county: string;
  validUntil: string;
  group?: string;
}

export const emptyForm: AnswerFormValues = {
  questions: '',
  answer: '',
  clauses: '',
  county: '',
  validUntil: '',
};

export function formOf(a: CuratedAnswerView): AnswerFormValues {
  return {
    questions: a.questions.join('\n'),
    answer: a.answer,
    clauses: a.clauseIds.join(', '),
    county: a.county ?? '',
    validUntil: a.validUntil ?? '',
  };
}

/** The issues of a refused save, in words: `clause:s99` names the clause. */
export function issuesText(ctx: PageContext, issues: string[]): string {
  return issues
    .map((issue) => {
      const [key, id] = issue.split(':');
      return key === 'clause'
        ? ctx.t('curated:issue.clause', { id })
        : ctx.t(`curated:issue.${key}`, { defaultValue: ctx.t('curated:issue.other') });
    })
    .join('; ');
}

export function answerForm(ctx: PageContext, action: string, v: AnswerFormValues, error?: string): SafeHtml {
  const { t } = ctx;
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${action}" class="form">${csrfField(ctx)}
${v.group ? html`<input type="hidden" name="group" value="${v.group}">` : ''}
<label>${t('curated:form.questions')}<textarea name="questions" rows="5" required>${v.questions}</textarea></label>
<label>${t('curated:form.answer')}<textarea name="answer" rows="5" maxlength="2000" required>${v.answer}</textarea></label>
<label>${t('curated:form.clauses')}<input name="clauses" value="${v.clauses}" autocomplete="off"></label>
<label>${t('curated:form.county')}<select name="county">${countyOptions(t, t('curated:form.allCounties'), v.county)}</select></label>
<label>${t('curated:form.validUntil')}<input name="validUntil" value="${v.validUntil}" placeholder="2027-06-30" autocomplete="off"></label>
<button type="submit">${t('curated:form.save')}</button></form>`;
}

function groupRow(ctx: PageContext, g: UnansweredGroup): SafeHtml {
  const { t } = ctx;
  const answered = Object.entries(g.answers)
    .map(([kind, n]) => `${t(`curated:kind.${kind}`)} ×${n}`)
    .join(', ');
  return html`<tr data-group="${g.id}"><td class="count">${g.count}</td><td><ul>${g.examples.map(
    (e) => html`<li>${e}</li>`,
  )}</ul></td><td>${ctx.dateTime(g.firstAskedAt)}</td><td>${ctx.dateTime(g.lastAskedAt)}</td><td>${answered}</td>
<td><a class="button" href="/console/answers/new?group=${encodeURIComponent(g.id)}">${t('curated:write')}</a>${postButton(
    ctx,
    `/console/answers/groups/${encodeURIComponent(g.id)}/dismiss`,
    t('curated:dismiss'),
  )}</td></tr>`;
}

function answerRow(ctx: PageContext, a: CuratedAnswerView, today: string): SafeHtml {
  const { t } = ctx;
  const expired =
    a.validUntil && a.validUntil < today ? html` <span class="hint">(${t('curated:expired')})</span>` : '';
  return html`<tr data-answer="${a.id}"><td><ul>${a.questions.map((q) => html`<li>${q}</li>`)}</ul></td><td>${a.answer}</td>
<td class="mono">${a.clauseIds.join(', ')}</td><td>${a.county ? t(`domain:county.${a.county}`) : ''}</td>
<td>${a.validUntil ?? ''}${expired}</td><td>v${a.version}</td><td>${ctx.dateTime(a.updatedAt)}</td>
<td><a class="button" href="/console/answers/${a.id}">${t('curated:edit')}</a>${postButton(
    ctx,
    `/console/answers/${a.id}/retire`,
    t('curated:retire'),
  )}</td></tr>`;
}

export function answersPage(
  ctx: PageContext,
  groups: UnansweredGroup[],
  answers: CuratedAnswerView[],
  today: string,
  notice?: string,
): SafeHtml {
  const { t } = ctx;
  const c = (key: string) => html`<th>${t(`curated:column.${key}`)}</th>`;
  return html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p class="hint">${t('curated:intro')}</p>
<h2>${t('curated:groups', { count: groups.length })}</h2>
${
  groups.length
    ? html`<table class="groups"><thead><tr>${['count', 'examples', 'first', 'last', 'answered', 'action'].map(c)}</tr></thead><tbody>${groups.map(
        (g) => groupRow(ctx, g),
      )}</tbody></table>`
    : html`<p>${t('curated:noGroups')}</p>`
}
<h2>${t('curated:answers', { count: answers.length })}</h2>
<p><a class="button" href="/console/answers/new">${t('curated:new')}</a>
<a href="/console/answers/export.csv">${t('curated:export')} CSV</a> · <a href="/console/answers/export.xlsx">${t('curated:export')} Excel</a></p>
${
  answers.length
    ? html`<table class="answers"><thead><tr>${['questions', 'answer', 'clauses', 'county', 'validUntil', 'version', 'updated', 'action'].map(c)}</tr></thead><tbody>${answers.map(
        (a) => answerRow(ctx, a, today),
      )}</tbody></table>`
    : html`<p>${t('curated:noAnswers')}</p>`
}
<h2>${t('curated:import')}</h2>
<form method="post" action="/console/answers/import?_csrf=${encodeURIComponent(ctx.csrf)}" enctype="multipart/form-data" class="form">
<input type="file" name="file" accept=".csv,.xlsx" required><button type="submit">${t('curated:importButton')}</button></form>`;
}
