import { z } from 'zod';
import { defineFlow } from '../../flow';

const course = z.object({ code: z.string() });

/** The sign-up's steps and what each keeps: the course, and once given, when the ID number was consented to. */
export const enrol = defineFlow({
  name: 'enrol',
  version: 1,
  steps: {
    confirm: course,
    name: course,
    phone: course,
    id_consent: course,
    id_number: course.extend({ consentAt: z.iso.datetime() }),
  },
});
