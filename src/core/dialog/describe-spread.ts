import type { SpreadDelivery } from '../outreach-ports';
import { formatSessionTime } from './format-time';
import type { Turn } from './turn';

/**
 * One sentence per channel whose daily cap spreads a notice over days: `coordinator:broadcast.spread` when it
 * is confirmed, `coordinator:report.spread` for what is left in a delivery report.
 */
export function describeSpread(
  turn: Turn,
  spread: SpreadDelivery[],
  timezone: string,
  key: 'coordinator:broadcast.spread' | 'coordinator:report.spread',
): string[] {
  return spread.map((s) =>
    turn.t(key, {
      channel: turn.t(`coordinator:channel.${s.channel}`),
      cap: s.perDay,
      count: s.count,
      days: s.days,
      finish: formatSessionTime(s.finishAt, turn.locale, timezone),
    }),
  );
}
