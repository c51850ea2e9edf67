import type { Translate } from '../../core/i18n';
import type { InboxDetail, InboxSummary } from '../../services/inbox-service';
import { html, type SafeHtml } from '../html';
import { csrfField, type PageContext, postButton } from './console-page';

/** "12 分钟", "1 小时 5 分钟". */
export function waitingTime(t: Translate, seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return t('inbox-console:wait.justNow');
  if (minutes < 60) return t('inbox-console:wait.minutes', { count: minutes });
  return t('inbox-console:wait.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

const countyName = (t: Translate, county: string | null) =>
  county ? t(`domain:county.${county}`) : t('inbox-console:noCounty');

const channelName = (t: Translate, channel: string) => t(`coordinator:channel.${channel}`);

const statusText = (t: Translate, item: InboxSummary) =>
  item.status === 'claimed'
    ? t('inbox-console:status.claimed', { by: item.claimedBy ?? '' })
    : t(`inbox-console:status.${item.status}`);

/** Waiting (not held) longer than INBOX_ESCALATE_MINUTES: the sweep escalates these to the admins. */
export const isOverdue = (item: InboxSummary, escalateMinutes: number) =>
  item.status === 'waiting' && item.waitingSeconds >= escalateMinutes * 60;

function kindCell(t: Translate, item: InboxSummary): SafeHtml {
  return html`${t(`inbox-console:kind.${item.kind}`)}${
    item.trackingNo ? html`<br><span class="mono">${item.trackingNo}</span>` : ''
  }`;
}

/** The list: one row per open item, oldest first (the service's order). */
export function inboxList(
  ctx: PageContext,
  items: InboxSummary[],
  options: { escalateMinutes: number; unansweredGroups: number; notice?: string },
): SafeHtml {
  const { t } = ctx;
  const overdue = items.filter((i) => isOverdue(i, options.escalateMinutes)).length;
  const rows = items.map(
    (item) => html`<tr data-id="${item.id}" class="${item.status}"><td>${kindCell(t, item)}</td>
<td class="waiting">${waitingTime(t, item.waitingSeconds)}${
      isOverdue(item, options.escalateMinutes)
        ? html` <strong class="badge overdue">${t('inbox-console:overdueBadge')}</strong>`
        : ''
    }</td>
<td>${channelName(t, item.channel)}</td><td>${countyName(t, item.county)}</td>
<td class="text">${item.text}</td><td class="status">${statusText(t, item)}</td>
<td><a class="button" href="/console/inbox/${item.id}">${t('inbox-console:open')}</a></td></tr>`,
  );
  return html`${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
<p class="hint">${t('inbox-console:intro')}</p>
<div id="inbox-live">
${overdue ? html`<p class="error" role="alert">${t('inbox-console:overdue', { count: overdue, minutes: options.escalateMinutes })}</p>` : ''}
${
  items.length
    ? html`<table class="inbox"><thead><tr><th>${t('inbox-console:column.kind')}</th><th>${t('inbox-console:column.waiting')}</th><th>${t('inbox-console:column.channel')}</th><th>${t('inbox-console:column.county')}</th><th>${t('inbox-console:column.text')}</th><th>${t('inbox-console:column.status')}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p class="empty">${t('inbox-console:empty')}</p>`
}
</div>
${
  options.unansweredGroups
    ? html`<p><a href="/console/answers">${t('inbox-console:unanswered', { count: options.unansweredGroups })}</a></p>`
    : ''
}
<script src="/console/assets/inbox.js" defer></script>`;
}

function transcript(ctx: PageContext, item: InboxDetail): SafeHtml {
  const { t } = ctx;
  return html`<h2>${t('inbox-console:transcript')}</h2><ol class="transcript">${item.transcript.map(
    (line) =>
      html`<li class="${line.who}"><span class="who">${t(`inbox-console:who.${line.who}`, { by: line.by ?? '' })}</span> <time>${ctx.dateTime(new Date(line.at))}</time><div class="said">${line.text}</div></li>`,
  )}</ol>`;
}

function facts(ctx: PageContext, item: InboxDetail): SafeHtml {
  const { t } = ctx;
  return html`<ul class="facts">
<li>${t(`inbox-console:kind.${item.kind}`)} · ${channelName(t, item.channel)} · ${countyName(t, item.county)} · <span class="status">${statusText(t, item)}</span> · ${waitingTime(t, item.waitingSeconds)}</li>
${item.trackingNo ? html`<li>${t('inbox-console:trackingNo', { trackingNo: item.trackingNo })}</li>` : ''}
${item.callback ? html`<li class="callback">${t('inbox-console:callback', { phone: item.callback.phone, time: item.callback.time })}</li>` : ''}
${item.status === 'claimed' && item.claimedAt ? html`<li>${t('inbox-console:claimedBy', { by: item.claimedBy ?? '', at: ctx.dateTime(item.claimedAt) })}</li>` : ''}
${item.status === 'closed' ? html`<li>${t('inbox-console:closedAt', { at: ctx.dateTime(item.closedAt), outcome: item.outcome ?? '' })}</li>` : ''}
${item.rating ? html`<li>${t('inbox-console:rating', { rating: item.rating })}</li>` : ''}
</ul>`;
}

function enrolments(ctx: PageContext, item: InboxDetail): SafeHtml {
  const { t } = ctx;
  return html`<h2>${t('inbox-console:enrolments')}</h2>${
    item.enrolments.length
      ? html`<ul class="enrolments">${item.enrolments.map(
          (e) =>
            html`<li><span class="mono">${e.courseCode}</span> ${e.title} · ${countyName(t, e.county)} · ${t(`console:enrolmentStatus.${e.status}`)}</li>`,
        )}</ul>`
      : html`<p>${t('inbox-console:noEnrolments')}</p>`
  }`;
}

/** Claim or hand back, by the item's state (in the live part: it follows a claim made elsewhere). */
function holdButtons(ctx: PageContext, item: InboxDetail): SafeHtml {
  const { t } = ctx;
  const base = `/console/inbox/${item.id}`;
  return html`<div class="actions">
${item.status === 'waiting' ? postButton(ctx, `${base}/claim`, t('inbox-console:claim')) : ''}
${item.status === 'claimed' ? postButton(ctx, `${base}/hand-back`, t('inbox-console:handBack')) : ''}
</div>`;
}

/** Reply and close: outside the live part, so a reply being typed is never replaced. */
function actions(ctx: PageContext, item: InboxDetail, draft: string): SafeHtml {
  const { t } = ctx;
  if (item.status === 'closed') return html``;
  const base = `/console/inbox/${item.id}`;
  return html`<form method="post" action="${base}/reply" class="form reply">${csrfField(ctx)}
<label>${t('inbox-console:replyLabel')}<textarea name="text" rows="4" maxlength="2000" required>${draft}</textarea></label>
<button type="submit">${t('inbox-console:reply')}</button></form>
<form method="post" action="${base}/close" class="form compact close">${csrfField(ctx)}
<label>${t('inbox-console:outcomeLabel')}<input name="outcome" maxlength="500" autocomplete="off"></label>
<button type="submit">${t('inbox-console:close')}</button></form>`;
}

/** One item: what is known about it, its transcript (updated live), the person's sign-ups and the actions. */
export function inboxItemPage(
  ctx: PageContext,
  item: InboxDetail,
  options: { notice?: string; error?: string; draft?: string } = {},
): SafeHtml {
  const { t } = ctx;
  return html`${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<div id="inbox-live">${facts(ctx, item)}${holdButtons(ctx, item)}${transcript(ctx, item)}</div>
${actions(ctx, item, options.draft ?? '')}
${enrolments(ctx, item)}
<p><a href="/console/inbox">${t('inbox-console:back')}</a></p>
<script src="/console/assets/inbox.js" defer></script>`;
}
