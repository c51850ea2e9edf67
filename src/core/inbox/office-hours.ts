import { DateTime } from 'luxon';

/** When staff answer the inbox: days of the week (1 = Monday … 7 = Sunday) and local minutes from–to. */
export interface OfficeSpan {
  days: number[];
  from: number;
  to: number;
}
export type OfficeHours = OfficeSpan[];

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const dayOf = (name: string) => DAY_NAMES.indexOf(name.trim().toLowerCase().slice(0, 3)) + 1;

function parseDays(text: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    const start = dayOf(a ?? '');
    const end = b === undefined ? start : dayOf(b);
    if (start < 1 || end < 1) return undefined;
    for (let d = start; ; d = (d % 7) + 1) {
      days.add(d);
      if (d === end) break;
    }
  }
  return [...days].sort();
}

function parseMinute(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 24 && min < 60 && h * 60 + min <= 1440 ? h * 60 + min : undefined;
}

/**
 * "Mon-Fri 09:00-17:30", several spans joined by ";" ("Mon-Fri 09:00-12:00; Mon-Fri 14:00-17:30; Sat 09:00-12:00").
 * Returns an error message naming what could not be read.
 */
export function parseOfficeHours(spec: string): OfficeHours | string {
  const spans: OfficeHours = [];
  for (const raw of spec.split(';').map((s) => s.trim())) {
    if (!raw) continue;
    const m = /^([A-Za-z,-]+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(raw);
    const days = m ? parseDays(m[1]!) : undefined;
    const from = m ? parseMinute(m[2]!) : undefined;
    const to = m ? parseMinute(m[3]!) : undefined;
    if (!days || from === undefined || to === undefined || from >= to)
      return `"${raw}" is not like "Mon-Fri 09:00-17:30"`;
    spans.push({ days, from, to });
  }
  return spans.length ? spans : 'no office hours given';
}

/** "zhenxiong=Mon-Sat 08:30-18:00|weixin=Mon-Fri 09:00-17:00": per-county overrides, by county id. */
export function parseCountyOfficeHours(spec: string): Map<string, OfficeHours> | string {
  const out = new Map<string, OfficeHours>();
  for (const entry of spec.split('|').map((s) => s.trim())) {
    if (!entry) continue;
    const at = entry.indexOf('=');
    if (at < 1) return `"${entry}" is not like "zhenxiong=Mon-Fri 09:00-17:30"`;
    const hours = parseOfficeHours(entry.slice(at + 1));
    if (typeof hours === 'string') return hours;
    out.set(entry.slice(0, at).trim(), hours);
  }
  return out;
}

/** Whether staff are in now; when not, when they will be back (undefined if the hours name no day at all). */
export function officeStatus(
  hours: OfficeHours,
  now: Date,
  timeZone: string,
): { open: true } | { open: false; back?: Date } {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  if (hours.some((s) => s.days.includes(local.weekday) && minute >= s.from && minute < s.to))
    return { open: true };
  for (let ahead = 0; ahead <= 7; ahead++) {
    const day = local.plus({ days: ahead }).startOf('day');
    const starts = hours
      .filter((s) => s.days.includes(day.weekday) && (ahead > 0 || s.from > minute))
      .map((s) => s.from)
      .sort((a, b) => a - b);
    if (starts.length) return { open: false, back: day.plus({ minutes: starts[0]! }).toJSDate() };
  }
  return { open: false };
}
