import { DateTime } from 'luxon';
import { z } from 'zod';

/** A calendar day as typed in a filter (2026-12-05): the shape, and a real date (not 2026-02-30). */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real date');
