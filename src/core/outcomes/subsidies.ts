import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LocalizedText } from '../ports';
import { isQuiet, type QuietHours } from '../reminders/reminder-plan';

/** 未申请 | 材料待补 | 已提交 | 已审核 | 已发放 (table subsidy_claims, column status). */
export const SUBSIDY_STATUSES = [
  'not_applied',
  'documents_missing',
  'submitted',
  'approved',
  'paid',
] as const;
export type SubsidyStatus = (typeof SUBSIDY_STATUSES)[number];
export const subsidyStatusSchema = z.enum(SUBSIDY_STATUSES);

const localized = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const groupDocs = z.object({
  clauses: z.array(z.string().min(1)).min(1),
  documents: z.array(z.string().min(1)).min(1),
});

/** data/subsidies/documents.json: the documents a claim needs, per eligible group, with the plan's clauses. */
export const subsidyDocumentsSchema = z
  .object({
    note: z.string().optional(),
    documents: z.record(z.string(), localized),
    groups: z.record(z.string(), groupDocs),
    default: groupDocs,
  })
  .superRefine((file, ctx) => {
    for (const [group, g] of [...Object.entries(file.groups), ['default', file.default] as const])
      for (const doc of g.documents)
        if (!file.documents[doc])
          ctx.addIssue({ code: 'custom', message: `${group}: unknown document ${doc}` });
  });
export type SubsidyDocuments = z.infer<typeof subsidyDocumentsSchema>;

/** The documents and clauses of a group (or the default list when the sign-up named no listed group). */
export function documentsFor(file: SubsidyDocuments, group: string | null | undefined) {
  return (group ? file.groups[group] : undefined) ?? file.default;
}

/** A missing document as the trainee reads it: a known code's label, or the words staff typed. */
export function documentLabel(file: SubsidyDocuments, doc: string): LocalizedText {
  return file.documents[doc] ?? { 'zh-CN': doc, en: doc };
}

export interface SubsidyClaimView {
  course: { code: string; title: LocalizedText };
  status: SubsidyStatus;
  group?: string;
  /** Labels of what is still missing (only meaningful while documents_missing or not_applied). */
  missing: LocalizedText[];
  /** Everything the group's claim needs, and the plan's clauses behind it. */
  needed: LocalizedText[];
  clauses: string[];
  amountYuan?: number;
  updatedAt: Date;
}

export interface PersonClaims {
  memberName?: string;
  claims: SubsidyClaimView[];
}

/** "补贴发了没": the writer's claims, then those of the family members they manage. */
export interface SubsidyStatusLookup {
  forPerson(personId: string): Promise<PersonClaims[]>;
}

/**
 * When a claim's news may go out: at once, or when the quiet hours (REMINDER_QUIET_HOURS) end if staff change
 * claims at night. News is never urgent enough to wake anyone.
 */
export function afterQuietHours(at: Date, timeZone: string, quiet: QuietHours | undefined): Date {
  if (!quiet || !isQuiet(at, timeZone, quiet)) return at;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  let end = local.set({ hour: quiet.end, minute: 0, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}
