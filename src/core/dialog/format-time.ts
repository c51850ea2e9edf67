import type { Locale } from '../domain';

/** Building an Intl.DateTimeFormat costs far more than using one: one per language and time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      month: locale === 'en' ? 'short' : 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** "12月1日 周二 09:00" / "Tue 1 Dec, 09:00" in the programme's time zone (Asia/Shanghai). */
export function formatSessionTime(date: Date, locale: Locale, timeZone: string): string {
  const parts = formatterFor(locale, timeZone).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return locale === 'en'
    ? `${get('weekday')} ${get('day')} ${get('month')}, ${get('hour')}:${get('minute')}`
    : `${get('month')}月${get('day')}日 ${get('weekday')} ${get('hour')}:${get('minute')}`;
}
