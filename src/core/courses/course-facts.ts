import { z } from 'zod';

/** Whether a course provides lodging or meals. */
export const PROVISIONS = ['provided', 'not_provided', 'subsidised'] as const;
export type Provision = (typeof PROVISIONS)[number];

/**
 * What people ask about a course beyond its title and dates. Every field may be missing: the dialog then says
 * honestly that the course record does not say, and offers a person.
 */
export interface CourseFacts {
  durationDays?: number;
  /** Free text: "09:00-17:00", "每天6小时". */
  dailyHours?: string;
  lodging?: Provision;
  meals?: Provision;
  lodgingNote?: string;
  /** Street address; the map link is built from it. */
  address?: string;
  contactPhone?: string;
  materials?: { 'zh-CN': string; en: string };
  certificate?: { 'zh-CN': string; en: string };
}

/** A course contact number: a landline (0870-2150101) or an 11-digit mobile. */
export const CONTACT_PHONE = /^(0\d{2,3}-?\d{7,8}|1[3-9]\d{9})$/;

/** The facts as the sample data and stored rows hold them (zh-CN with optional English). */
export const courseFactsInputSchema = z.object({
  durationDays: z.int().min(1).max(365).optional(),
  dailyHours: z.string().trim().min(1).max(60).optional(),
  lodging: z.enum(PROVISIONS).optional(),
  meals: z.enum(PROVISIONS).optional(),
  lodgingNote: z.string().trim().min(1).max(200).optional(),
  address: z.string().trim().min(1).max(200).optional(),
  contactPhone: z.string().regex(CONTACT_PHONE, 'landline 0870-1234567 or 11-digit mobile').optional(),
  materials: z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).optional(),
  certificate: z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).optional(),
});

/** Stored columns (NULL = not stated) → facts. Unknown provision values count as not stated. */
export function courseFactsFromColumns(row: {
  durationDays?: number | null;
  dailyHours?: string | null;
  lodging?: string | null;
  meals?: string | null;
  lodgingNote?: string | null;
  address?: string | null;
  contactPhone?: string | null;
  materials?: string | null;
  materialsEn?: string | null;
  certificate?: string | null;
  certificateEn?: string | null;
}): CourseFacts {
  const provision = (v: string | null | undefined) =>
    (PROVISIONS as readonly string[]).includes(v ?? '') ? (v as Provision) : undefined;
  const localized = (zh: string | null | undefined, en: string | null | undefined) =>
    zh ? { 'zh-CN': zh, en: en || zh } : undefined;
  return {
    durationDays: row.durationDays ?? undefined,
    dailyHours: row.dailyHours || undefined,
    lodging: provision(row.lodging),
    meals: provision(row.meals),
    lodgingNote: row.lodgingNote || undefined,
    address: row.address || undefined,
    contactPhone: row.contactPhone || undefined,
    materials: localized(row.materials, row.materialsEn),
    certificate: localized(row.certificate, row.certificateEn),
  };
}

/**
 * A map search for an address, as a link (no network call): Amap's public URI API opens the map app on a
 * phone or the web map on a computer.
 */
export function mapLink(address: string): string {
  return `https://uri.amap.com/search?keyword=${encodeURIComponent(address)}&src=jineng`;
}
