import { z } from 'zod';
import { COURSE_CODE } from '../../services/course-input-schema';
import { HttpError } from '../http-errors';

const codeParams = z.object({ code: z.string().toUpperCase().regex(COURSE_CODE) });

/** The course code of the URL; anything else is a 404, the same as a course outside the user's scope. */
export function courseCodeOf(params: unknown): string {
  const parsed = codeParams.safeParse(params);
  if (!parsed.success) throw new HttpError(404, 'not_found', 'no such course');
  return parsed.data.code;
}

export const notFound = () => new HttpError(404, 'not_found', 'not found');

const enrolmentParams = z.object({ enrolment: z.uuid() });

/** The sign-up of a roster row named in the URL; anything else is a 404. */
export function enrolmentIdOf(params: unknown): string {
  const parsed = enrolmentParams.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.enrolment;
}
