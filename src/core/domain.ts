/** Vocabulary of the programme shared by NLU, matching, enrolment and storage. */

export const COUNTIES = [
  'zhaoyang',
  'ludian',
  'qiaojia',
  'yanjin',
  'daguan',
  'yongshan',
  'suijiang',
  'zhenxiong',
  'yiliang',
  'weixin',
  'shuifu',
] as const;
export type County = (typeof COUNTIES)[number];

/** Groups a person can belong to; they drive eligibility and subsidies. */
export const GROUPS = [
  'poverty_registered', // 建档立卡
  'two_after', // 两后生
  'graduate', // 大中专毕业生
  'veteran', // 退役军人
  'disabled', // 残疾人
  'unemployed', // 登记失业
  'laid_off', // 转岗/下岗职工
  'returnee', // 返乡创业
  'rural_worker', // 农村劳动力
  'employee', // 在职职工
  'relocated', // 易地扶贫搬迁
] as const;
export type Group = (typeof GROUPS)[number];

export const TRADES = [
  'ecommerce',
  'housekeeping',
  'elderly_care',
  'maternal_infant_care',
  'security',
  'electrician',
  'welder',
  'chef',
  'tianma',
  'apple',
  'potato',
  'sichuan_pepper',
  'livestock',
  'handicraft',
  'entrepreneurship',
  'apprenticeship',
  'advanced_skill',
  'construction',
  'auto_repair',
  'beauty',
  'tourism',
] as const;
export type Trade = (typeof TRADES)[number];

/** A stored trade or county text that is one of our ids (else free text someone typed). */
export const isKnownTrade = (value: string): value is Trade => (TRADES as readonly string[]).includes(value);
export const isKnownCounty = (value: string): value is County =>
  (COUNTIES as readonly string[]).includes(value);

/** 就业技能 / 岗位技能提升 / 创业 */
export const TRAINING_TYPES = ['employment', 'upskilling', 'entrepreneurship'] as const;
export type TrainingType = (typeof TRAINING_TYPES)[number];

export const COURSE_STATUSES = ['draft', 'open', 'closed', 'cancelled'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A stored locale string as a Locale; anything unknown is Chinese, the programme's language. */
export function asLocale(value: string): Locale {
  return (LOCALES as readonly string[]).includes(value) ? (value as Locale) : 'zh-CN';
}

/** A platform's language code ("zh-hans", "en-US", "zh_CN"…) as one of our locales, if it is one. */
export function localeFromHint(hint?: string): Locale | undefined {
  const h = hint?.toLowerCase() ?? '';
  if (h.startsWith('zh')) return 'zh-CN';
  if (h.startsWith('en')) return 'en';
  return undefined;
}

/** A text stored in Chinese with an optional English version (a course title, a venue), in `locale`. */
export function inLocale(locale: Locale, zh: string, en: string | null | undefined): string {
  return locale === 'en' ? (en ?? zh) : zh;
}

/** What a family member signed up by the person chatting (the proxy) is to them. */
export const FAMILY_RELATIONS = ['daughter', 'son', 'father', 'mother', 'spouse', 'other'] as const;
export type FamilyRelation = (typeof FAMILY_RELATIONS)[number];
