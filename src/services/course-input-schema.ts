import { DateTime } from 'luxon';
import { z } from 'zod';
import { CONTACT_PHONE, type Provision } from '../core/courses/course-facts';
import {
  COUNTIES,
  COURSE_STATUSES,
  type County,
  GROUPS,
  type Group,
  TRADES,
  TRAINING_TYPES,
} from '../core/domain';
import { readLocaleResources } from '../i18n/i18n';

/**
 * What a coordinator types into the course form or a row of an import file. Error messages are keys of
 * `console:field.error.*`, so each page shows them in its own language.
 */
export const FIELD_ERRORS = [
  'required',
  'too_long',
  'number',
  'range',
  'choice',
  'code_format',
  'datetime',
  'end_before_start',
  'yes_no',
  'contact_phone',
] as const;

const domain = Object.values(readLocaleResources()).map(
  (lng) => lng['domain'] as Record<string, Record<string, string>>,
);

/** id, Chinese and English names (and a county without 县/区) → id, compared without case or spaces. */
function aliases(group: string, ids: readonly string[]): Map<string, string> {
  const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '');
  const map = new Map(ids.map((id) => [squash(id), id]));
  for (const names of domain) {
    for (const [id, name] of Object.entries(names[group] ?? {})) {
      map.set(squash(name), id);
      map.set(squash(name.replace(/(县|区|市|county|district|city)$/i, '')), id);
    }
  }
  return map;
}

function oneOf<T extends string>(group: string, ids: readonly T[]) {
  const known = aliases(group, ids);
  return z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required')
    .transform((value, ctx) => {
      const id = known.get(value.toLowerCase().replace(/\s+/g, ''));
      if (!id) ctx.addIssue({ code: 'custom', message: 'choice' });
      return id as T;
    });
}

const text = (max: number) => z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'too_long')
    .optional()
    .transform((v) => v || undefined);
const integer = (min: number, max: number) =>
  z.coerce.number({ error: 'number' }).int('number').min(min, 'range').max(max, 'range');
const blankAs = <T extends z.ZodType>(fallback: string, schema: T) =>
  z.preprocess((v) => (v === undefined || v === null || String(v).trim() === '' ? fallback : v), schema);

const YES = new Set(['true', 'yes', 'y', '1', '是', '需要', '要', '实名']);
const NO = new Set(['false', 'no', 'n', '0', '否', '不需要', '不要', '无']);
const yesNo = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v, ctx) => {
    if (YES.has(v)) return true;
    if (!NO.has(v)) ctx.addIssue({ code: 'custom', message: 'yes_no' });
    return false;
  });

const PROVISION_WORDS: Record<string, Provision> = {
  provided: 'provided',
  提供: 'provided',
  包: 'provided',
  包吃: 'provided',
  包住: 'provided',
  免费: 'provided',
  yes: 'provided',
  是: 'provided',
  notprovided: 'not_provided',
  no: 'not_provided',
  none: 'not_provided',
  不提供: 'not_provided',
  不包: 'not_provided',
  自理: 'not_provided',
  无: 'not_provided',
  否: 'not_provided',
  subsidised: 'subsidised',
  subsidized: 'subsidised',
  补贴: 'subsidised',
  有补贴: 'subsidised',
};
/** Lodging or meals: provided / not provided / subsidised, in words a coordinator types (提供 / 自理 / 补贴). */
const provision = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const id = PROVISION_WORDS[v.toLowerCase().replace(/[\s_-]/g, '')];
    if (!id) ctx.addIssue({ code: 'custom', message: 'choice' });
    return id;
  });
const optionalInteger = (min: number, max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === null || String(v).trim() === '' ? undefined : v),
    integer(min, max).optional(),
  );
const contactPhone = optionalText(20).refine(
  (v) => !v || CONTACT_PHONE.test(v.replace(/\s/g, '')),
  'contact_phone',
);

/**
 * Who may take the course: groups by id or name (建档立卡户, 两后生, poverty_registered …), separated by commas,
 * 、 or spaces; empty means everyone. The sign-up checks them (docs/family-sign-up.md).
 */
const groupNames = aliases('group', GROUPS);
const eligibleGroups = idList<Group>(groupNames);

/** Course codes people can type to the bot: ZX-DS-01, ZY-SYB-01. */
export const COURSE_CODE = /^[A-Z]{2}-[A-Z]{2,4}-\d{2}$/;

/** Counties whose residents may sign up (镇雄县、彝良县 or ids); empty means everyone. */
const countyNames = aliases('county', COUNTIES);
const eligibleCounties = idList<County>(countyNames);

/**
 * Ids by id or name separated by commas, 、 or spaces, each once; a word that names none is a `choice` error.
 * Empty means everyone.
 */
function idList<T extends string>(names: ReadonlyMap<string, string>) {
  return wordList((word) => names.get(word.toLowerCase()) as T | undefined, 'choice');
}

/**
 * Words separated by commas, 、 or spaces, each resolved once (duplicates dropped); a word the resolver
 * refuses (undefined) is an `error` issue. Empty means none.
 */
function wordList<T extends string>(resolve: (word: string) => T | undefined, error: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const ids: T[] = [];
      for (const word of (v ?? '').split(/[,，、;；\s]+/).filter(Boolean)) {
        const id = resolve(word);
        if (!id) {
          ctx.addIssue({ code: 'custom', message: error });
          continue;
        }
        if (!ids.includes(id)) ids.push(id);
      }
      return ids;
    });
}

/** Codes of courses to complete first (ZX-DS-01 ZX-DS-02): each must look like a course code. */
const prerequisiteCourseCodes = wordList((word) => {
  const code = word.toUpperCase();
  return COURSE_CODE.test(code) ? code : undefined;
}, 'code_format');

const courseFieldsObject = z.object({
  code: z.string({ error: 'required' }).trim().toUpperCase().regex(COURSE_CODE, 'code_format'),
  title: text(100),
  titleEn: optionalText(150),
  trade: oneOf('trade', TRADES),
  trainingType: blankAs('employment', oneOf('trainingType', TRAINING_TYPES)),
  county: oneOf('county', COUNTIES),
  venue: text(200),
  venueEn: optionalText(200),
  capacity: integer(1, 500),
  feeYuan: blankAs('0', integer(0, 100_000)),
  realNameRequired: blankAs('yes', yesNo),
  status: blankAs('open', z.enum(COURSE_STATUSES, 'choice')),
  description: optionalText(2000),
  subsidyText: optionalText(500),
  // What people ask after seeing a course (core/courses/course-facts.ts): every one optional.
  durationDays: optionalInteger(1, 365),
  dailyHours: optionalText(60),
  lodging: provision,
  meals: provision,
  lodgingNote: optionalText(200),
  address: optionalText(200),
  contactPhone,
  materials: optionalText(300),
  materialsEn: optionalText(300),
  certificate: optionalText(100),
  certificateEn: optionalText(150),
  // Who may sign up (checked at sign-up from the ID number's birth date and the person's groups).
  minAge: optionalInteger(0, 100),
  maxAge: optionalInteger(0, 100),
  eligibleGroups,
  eligibleCounties,
  prerequisiteCourseCodes,
  prerequisiteNote: optionalText(200),
});
const agesInOrder = (f: { minAge?: number; maxAge?: number }) =>
  f.minAge === undefined || f.maxAge === undefined || f.minAge <= f.maxAge;
export const courseFieldsSchema = courseFieldsObject.refine(agesInOrder, {
  message: 'range',
  path: ['maxAge'],
});
export type CourseFields = z.infer<typeof courseFieldsSchema>;

const FORMATS = [
  'yyyy-MM-dd HH:mm',
  "yyyy-MM-dd'T'HH:mm",
  'yyyy/M/d H:mm',
  'yyyy-M-d H:mm',
  'yyyy-MM-dd HH:mm:ss',
];

/** A wall-clock time in the programme's time zone, as a date input or Excel writes it. */
export function localDateTime(timezone: string) {
  return z
    .string({ error: 'required' })
    .trim()
    .min(1, 'required')
    .transform((value, ctx) => {
      for (const format of FORMATS) {
        const parsed = DateTime.fromFormat(value, format, { zone: timezone });
        if (parsed.isValid) return parsed.toJSDate();
      }
      ctx.addIssue({ code: 'custom', message: 'datetime' });
      return new Date(Number.NaN);
    });
}

export function classSessionFieldsSchema(timezone: string) {
  return z
    .object({ startsAt: localDateTime(timezone), endsAt: localDateTime(timezone), venue: optionalText(200) })
    .refine((s) => s.endsAt > s.startsAt, { message: 'end_before_start', path: ['endsAt'] });
}
export type ClassSessionFields = z.infer<ReturnType<typeof classSessionFieldsSchema>>;

/** A row of a course import: the course, and optionally its first class session and how many follow. */
export function importRowSchema(timezone: string) {
  return courseFieldsObject
    .extend({
      startsAt: localDateTime(timezone).optional(),
      endsAt: localDateTime(timezone).optional(),
      sessions: blankAs('1', integer(1, 60)),
      everyDays: blankAs('7', integer(1, 30)),
    })
    .refine(agesInOrder, { message: 'range', path: ['maxAge'] })
    .refine((r) => Boolean(r.startsAt) === Boolean(r.endsAt), { message: 'required', path: ['endsAt'] })
    .refine((r) => !r.startsAt || !r.endsAt || r.endsAt > r.startsAt, {
      message: 'end_before_start',
      path: ['endsAt'],
    });
}
export type ImportRow = z.infer<ReturnType<typeof importRowSchema>>;

/** Field → error key, for re-showing a form or a row of an import report. */
export function fieldErrors(error: z.ZodError): { field: string; key: string }[] {
  return error.issues.map((issue) => ({
    field: String(issue.path[0] ?? ''),
    key: (FIELD_ERRORS as readonly string[]).includes(issue.message) ? issue.message : 'invalid',
  }));
}

/** The class sessions a row or the new-course form describes: the first one, then every `everyDays` days. */
export function scheduleOf(row: ImportRow, timezone: string): ClassSessionFields[] {
  if (!row.startsAt || !row.endsAt) return [];
  const start = DateTime.fromJSDate(row.startsAt, { zone: timezone });
  const end = DateTime.fromJSDate(row.endsAt, { zone: timezone });
  return Array.from({ length: row.sessions }, (_, i) => ({
    startsAt: start.plus({ days: i * row.everyDays }).toJSDate(),
    endsAt: end.plus({ days: i * row.everyDays }).toJSDate(),
    venue: row.venue,
  }));
}

/** Form or file values with the empty ones left out, so that "not given" means the field's default. */
export function withoutBlanks(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() !== '') out[key] = value;
  }
  return out;
}
