import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { isKnownCounty, isKnownTrade } from '../../core/domain';
import type { Translate } from '../../core/i18n';
import {
  ANONYMOUS_MIN,
  type CourseAnswers,
  type SurveyAnswers,
  type SurveyAnswersFilter,
  surveyAnswersFilterSchema,
} from '../../services/survey-answers-service';
import { html, type SafeHtml } from '../html';
import type { ConsoleDeps } from './console-deps';
import { type PageContext, pageContext, sendPage } from './console-page';
import { countyOptions } from './county-options';

const SCRIPT = readFileSync(new URL('./survey-answers-page.js', import.meta.url));

/** A trade or county id in words; free text (bureau staff only) as typed. */
const tradeWord = (t: Translate, v: string | null) =>
  v === null ? '' : isKnownTrade(v) ? t(`domain:trade.${v}`) : v;
const countyWord = (t: Translate, v: string | null) =>
  v === null ? '' : isKnownCounty(v) ? t(`domain:county.${v}`) : v;

function filterForm(ctx: PageContext, filter: SurveyAnswersFilter): SafeHtml {
  const { t } = ctx;
  return html`<form method="get" action="/console/survey-answers" class="form compact filters" id="survey-answers-filter">
<label>${t('survey-answers:filter.course')}<input name="course" value="${filter.course ?? ''}" maxlength="40" autocomplete="off"></label>
<label>${t('survey-answers:filter.county')}<select name="county">${countyOptions(t, t('survey-answers:filter.allCounties'), filter.county)}</select></label>
<label>${t('survey-answers:filter.from')}<input type="date" name="from" value="${filter.from ?? ''}"></label>
<label>${t('survey-answers:filter.to')}<input type="date" name="to" value="${filter.to ?? ''}"></label>
<button type="submit">${t('survey-answers:filter.apply')}</button></form>`;
}

function when(ctx: PageContext, named: boolean, at: string): string {
  return named ? ctx.dateTime(new Date(at)) : at;
}

function courseSection(ctx: PageContext, c: CourseAnswers): SafeHtml {
  const { t } = ctx;
  const title = ctx.locale === 'en' ? (c.course.titleEn ?? c.course.title) : c.course.title;
  const few = (count: number) =>
    html`<p class="hint">${t('survey-answers:tooFew', { count, min: ANONYMOUS_MIN })}</p>`;
  const nameHead = c.named ? html`<th>${t('survey-answers:column.name')}</th>` : '';
  const sat = c.satisfaction.answers;
  const satisfaction = !c.satisfaction.count
    ? html`<p class="hint">${t('survey-answers:none')}</p>`
    : sat === null
      ? few(c.satisfaction.count)
      : html`<table class="satisfaction"><thead><tr>${nameHead}<th>${t('survey-answers:column.rating')}</th><th>${t('survey-answers:column.comment')}</th><th>${t('survey-answers:column.answeredAt')}</th></tr></thead><tbody>${sat.map(
          (a) =>
            html`<tr>${c.named ? html`<td>${a.name ?? ''}</td>` : ''}<td>${a.rating}</td><td>${a.comment ?? ''}</td><td>${when(ctx, c.named, a.answeredAt)}</td></tr>`,
        )}</tbody></table>`;
  const employment = c.employment.map(
    (e) =>
      html`<h4>${t('survey-answers:employmentMonths', { months: e.months, count: e.count })}</h4>${
        e.answers === null
          ? few(e.count)
          : html`<table class="employment"><thead><tr>${nameHead}<th>${t('survey-answers:column.status')}</th><th>${t('survey-answers:column.trade')}</th><th>${t('survey-answers:column.county')}</th><th>${t('survey-answers:column.answeredAt')}</th></tr></thead><tbody>${e.answers.map(
              (a) =>
                html`<tr>${c.named ? html`<td>${a.name ?? ''}</td>` : ''}<td>${t(`surveys:employment.choice.${a.status}`)}</td><td>${tradeWord(t, a.trade)}</td><td>${countyWord(t, a.county)}</td><td>${when(ctx, c.named, a.answeredAt)}</td></tr>`,
            )}</tbody></table>`
      }`,
  );
  return html`<section class="course-answers" data-course="${c.course.code}">
<h2><span class="mono">${c.course.code}</span> ${title}</h2>
<p class="hint">${t(`domain:county.${c.course.county}`)} · ${t('survey-answers:lastSession')}${c.lastSessionOn ?? t('survey-answers:noSession')} · ${t(c.named ? 'survey-answers:named' : 'survey-answers:anonymous')}</p>
<h3>${t('survey-answers:satisfaction', { count: c.satisfaction.count })}</h3>${satisfaction}
${c.employment.length ? html`<h3>${t('survey-answers:employment')}</h3>${employment}` : ''}
</section>`;
}

/** Plain JSON for the same view: no ids, and names (masked) only where the page shows them. */
function answersJson(found: SurveyAnswers) {
  return {
    filter: found.filter,
    ...(found.anonymousPeriod ? { anonymous_period: found.anonymousPeriod } : {}),
    anonymous_min: ANONYMOUS_MIN,
    courses: found.courses.map((c) => ({
      code: c.course.code,
      title: c.course.title,
      county: c.course.county,
      last_session_on: c.lastSessionOn,
      named: c.named,
      satisfaction: {
        count: c.satisfaction.count,
        answers:
          c.satisfaction.answers?.map((a) => ({
            ...(a.name !== undefined ? { name: a.name } : {}),
            rating: a.rating,
            comment: a.comment,
            answered_at: a.answeredAt,
          })) ?? null,
      },
      employment: c.employment.map((e) => ({
        months: e.months,
        count: e.count,
        answers:
          e.answers?.map((a) => ({
            ...(a.name !== undefined ? { name: a.name } : {}),
            status: a.status,
            trade: a.trade,
            county: a.county,
            answered_at: a.answeredAt,
          })) ?? null,
      })),
    })),
  };
}

/**
 * Raw survey answers (issue 20, items 3, 4 and 7; docs/surveys.md): a page and its JSON, in the viewer's scope.
 * Bureau staff see masked names (audited); a provider's account sees anonymous answers of its courses only.
 */
export async function surveyAnswersRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  scope.get('/console/assets/survey-answers-page.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(SCRIPT),
  );

  scope.get('/console/survey-answers', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const { t } = ctx;
    const user = request.consoleUser!;
    const parsed = surveyAnswersFilterSchema.safeParse(request.query ?? {});
    if (!parsed.success) {
      const body = html`${filterForm(ctx, {})}<p class="error" role="alert">${t('survey-answers:badFilter')}</p>`;
      return sendPage(reply, ctx, t('survey-answers:title'), body, { status: 400 });
    }
    const found = await deps.surveyAnswers.list(user.access, parsed.data, user.personId);
    const body = html`<p class="hint">${t('survey-answers:intro', { min: ANONYMOUS_MIN })}</p>
${filterForm(ctx, parsed.data)}
${found.anonymousPeriod ? html`<p class="hint" id="whole-months">${t('survey-answers:wholeMonths', { from: found.anonymousPeriod.from ?? '…', to: found.anonymousPeriod.to ?? '…' })}</p>` : ''}
${found.courses.length ? found.courses.map((c) => courseSection(ctx, c)) : html`<p>${t('survey-answers:empty')}</p>`}
<script src="/console/assets/survey-answers-page.js"></script>`;
    return sendPage(reply, ctx, t('survey-answers:title'), body);
  });

  scope.get('/console/survey-answers.json', async (request, reply) => {
    const user = request.consoleUser!;
    const parsed = surveyAnswersFilterSchema.safeParse(request.query ?? {});
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: 'bad_filter', issues: parsed.error.issues.map((i) => i.path.join('.')) });
    const found = await deps.surveyAnswers.list(user.access, parsed.data, user.personId);
    return reply.header('cache-control', 'no-store').send(answersJson(found));
  });
}
