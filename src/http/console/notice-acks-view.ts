import type { AckReport } from '../../core/dialog/flows/opt-out/preferences-port';
import { html, type SafeHtml } from '../html';
import type { PageContext } from './console-page';

/**
 * A notice's recipients by name and state: confirmed / delivered, not confirmed / not delivered / still
 * sending (issue 19, item 5). Shown for notices that asked for confirmation; names masked as everywhere else.
 */
export function noticeAcksSection(ctx: PageContext, r: AckReport | undefined): SafeHtml | string {
  if (!r?.asked) return '';
  const { t } = ctx;
  const row = (key: string, names: string[]) =>
    html`<tr><th>${t(`preferences:console.${key}`)} (${names.length})</th><td data-k="ack-${key}">${names.length ? names.join('、') : t('preferences:console.nobody')}</td></tr>`;
  const followUp = r.followedUpAt
    ? t('preferences:console.followedUp', { when: ctx.dateTime(r.followedUpAt) })
    : r.followUpDueAt
      ? t('preferences:console.followUpDue', { when: ctx.dateTime(r.followUpDueAt) })
      : '';
  return html`<h2>${t('preferences:console.title')}</h2>
<p class="hint">${t('preferences:console.asked')}</p>
<table class="acks"><tbody>
${row('acknowledged', r.acknowledged)}
${row('delivered', r.delivered)}
${row(
  'failed',
  r.failed.map((f) => f.name),
)}
${row('pending', r.pending)}
</tbody></table>
${followUp ? html`<p class="hint" data-k="ack-follow-up">${followUp}</p>` : ''}`;
}
