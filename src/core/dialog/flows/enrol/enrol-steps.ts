import { z } from 'zod';
import { COUNTIES, FAMILY_RELATIONS } from '../../../domain';
import { defineFlow } from '../../flow';

/**
 * A sign-up for a family member (the person chatting is their proxy): what they are to the proxy, the member
 * once recorded, and whether their (optional) phone was asked for.
 */
export const familySchema = z.object({
  relation: z.enum(FAMILY_RELATIONS),
  memberId: z.uuid().optional(),
  phoneAsked: z.boolean().optional(),
  /** The member's county, told before they were recorded (a county-limited course asks it first). */
  county: z.enum(COUNTIES).optional(),
});
export type FamilyData = z.infer<typeof familySchema>;

const course = z.object({ code: z.string(), family: familySchema.optional() });

/**
 * The sign-up's steps and what each keeps: the course, the family member it is for (if it is not the person
 * chatting), and once given, when the ID number was consented to. Steps and fields were only added since
 * version 1, so its states are still valid.
 */
export const enrol = defineFlow({
  name: 'enrol',
  version: 1,
  steps: {
    /** A family sign-up that named no course: which of the courses offered. */
    pick: z.object({ family: familySchema }),
    confirm: course,
    name: course,
    phone: course,
    id_consent: course,
    id_number: course.extend({ consentAt: z.iso.datetime() }),
    /** A course for some counties' residents only, and the person's county not known: which county. */
    county: course,
    /** A minor's sign-up: the guardian's explicit consent, naming the child and the course. */
    guardian: course,
  },
});
