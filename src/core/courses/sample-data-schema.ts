import { z } from 'zod';
import { COUNTIES, COURSE_STATUSES, GROUPS, TRADES, TRAINING_TYPES } from '../domain';
import { courseFactsInputSchema } from './course-facts';

/** Shape of `data/courses/*.json`: providers and courses whose dates are relative to the seeding day. */

export const LocalizedTextSchema = z.object({
  'zh-CN': z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');

export const ProviderSchema = z.object({
  id: Id,
  name: LocalizedTextSchema,
  county: z.enum(COUNTIES),
  phone: z.string().regex(/^(0\d{2,3}-\d{7,8}|1[3-9]\d{9})$/, 'landline 0870-1234567 or 11-digit mobile'),
  address: LocalizedTextSchema.optional(),
});
export type Provider = z.infer<typeof ProviderSchema>;

export const SampleCourseSchema = z
  .object({
    /** Short and typeable: users may send it to sign up ("报名 ZX-DS-01"). */
    code: z.string().regex(/^[A-Z]{2}-[A-Z]{2,3}-\d{2}$/, 'like ZX-DS-01'),
    title: LocalizedTextSchema,
    trade: z.enum(TRADES),
    trainingType: z.enum(TRAINING_TYPES),
    /** Where the course is held (not where the provider is registered). */
    county: z.enum(COUNTIES),
    providerId: Id,
    venue: LocalizedTextSchema,
    capacity: z.int().min(1).max(200),
    feeYuan: z.int().min(0),
    /** Groups for whom a subsidy makes it free; empty with feeYuan 0 means free for everyone. */
    freeForGroups: z.array(z.enum(GROUPS)),
    subsidyText: LocalizedTextSchema,
    /** Empty means anyone may enrol. */
    eligibleGroups: z.array(z.enum(GROUPS)),
    minAge: z.int().min(14).max(80).optional(),
    maxAge: z.int().min(14).max(100).optional(),
    /** 实名制: enrolment needs a validated ID number. */
    realNameRequired: z.boolean(),
    status: z.enum(COURSE_STATUSES),
    description: LocalizedTextSchema,
    startsInDays: z.int().min(0).max(365),
    sessionCount: z.int().min(1).max(60),
    sessionEveryDays: z.int().min(1).max(30),
    /** Asia/Shanghai wall-clock times. */
    startTime: ClockTime,
    endTime: ClockTime,
    /** Length, hours, lodging, address, contact, what to bring, certificate: what people ask about a course. */
    facts: courseFactsInputSchema.optional(),
  })
  .refine((c) => c.minAge === undefined || c.maxAge === undefined || c.minAge <= c.maxAge, {
    message: 'minAge must not exceed maxAge',
    path: ['maxAge'],
  })
  .refine((c) => c.startTime < c.endTime, { message: 'endTime must be after startTime', path: ['endTime'] });
export type SampleCourse = z.infer<typeof SampleCourseSchema>;

export const SampleDataSchema = z
  .object({
    note: z.string().optional(),
    providers: z.array(ProviderSchema).min(1),
    courses: z.array(SampleCourseSchema).min(1),
  })
  .superRefine((data, ctx) => {
    const providerIds = new Set<string>();
    data.providers.forEach((p, i) => {
      if (providerIds.has(p.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate provider id ${p.id}`,
          path: ['providers', i, 'id'],
        });
      }
      providerIds.add(p.id);
    });
    const codes = new Set<string>();
    data.courses.forEach((c, i) => {
      if (codes.has(c.code)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate course code ${c.code}`,
          path: ['courses', i, 'code'],
        });
      }
      codes.add(c.code);
      if (!providerIds.has(c.providerId)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown provider ${c.providerId}`,
          path: ['courses', i, 'providerId'],
        });
      }
    });
  });
export type SampleData = z.infer<typeof SampleDataSchema>;

/** Parses and validates a sample-data file; throws SyntaxError (bad JSON) or ZodError (bad shape). */
export function parseSampleData(jsonText: string): SampleData {
  return SampleDataSchema.parse(JSON.parse(jsonText));
}
