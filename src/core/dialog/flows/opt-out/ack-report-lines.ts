import type { Translate } from '../../../i18n';
import type { AckReport } from './preferences-port';

/** Names listed per state in a chat report; the rest are counted. */
const LISTED = 30;

function names(t: Translate, list: readonly string[]): string {
  const shown = list.slice(0, LISTED).join('、');
  const more = list.length - LISTED;
  return more > 0 ? `${shown} ${t('preferences:report.more', { count: more })}` : shown;
}

/**
 * A notice's recipients by name: confirmed, delivered but not confirmed, not delivered (issue 19, item 5).
 * Failed ones are named by the delivery report's own lines; here only their count when the notice asked.
 */
export function ackReportLines(t: Translate, r: AckReport): string[] {
  if (!r.asked) return [];
  const lines = [
    t('preferences:report.head', {
      acknowledged: r.acknowledged.length,
      delivered: r.delivered.length,
      failed: r.failed.length,
      pending: r.pending.length,
    }),
  ];
  if (r.acknowledged.length)
    lines.push(t('preferences:report.acknowledged', { names: names(t, r.acknowledged) }));
  if (r.delivered.length) lines.push(t('preferences:report.notYet', { names: names(t, r.delivered) }));
  if (r.failed.length)
    lines.push(
      t('preferences:report.failed', {
        names: names(
          t,
          r.failed.map((f) => f.name),
        ),
      }),
    );
  lines.push(
    r.followedUpAt
      ? t('preferences:report.followedUp')
      : t('preferences:report.followUpPending', { count: r.delivered.length }),
  );
  return lines;
}
