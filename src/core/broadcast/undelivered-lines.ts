import type { Translate } from '../i18n';
import type { Undelivered } from '../outreach-ports';

/** "· 张**（138****5678）：已屏蔽机器人", one line per person not reached, and how many more there are. */
export function undeliveredLines(t: Translate, undelivered: readonly Undelivered[], total: number): string[] {
  const who = (u: Undelivered) =>
    u.name && u.phone
      ? t('coordinator:report.personNamePhone', { name: u.name, phone: u.phone })
      : (u.name ?? u.phone ?? t('coordinator:someone'));
  const lines = undelivered.map((u) =>
    t('coordinator:report.undeliveredLine', {
      who: who(u),
      reason: t(`coordinator:report.reason.${u.reason}`, {
        defaultValue: t('coordinator:report.reason.other'),
      }),
    }),
  );
  if (!lines.length) return [];
  const more = total - undelivered.length;
  return [
    t('coordinator:report.undeliveredHead'),
    ...lines,
    ...(more > 0 ? [t('coordinator:report.undeliveredMore', { count: more })] : []),
  ];
}
