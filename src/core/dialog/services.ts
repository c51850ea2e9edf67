import type { CourseCatalog, EnrolmentRepository, PeopleRepository } from '../ports';

/** The domain services handlers use; main wires Prisma-backed implementations. */
export interface DialogServices {
  people: PeopleRepository;
  catalog: CourseCatalog;
  enrolments: EnrolmentRepository;
  handoffPhone: string;
  timezone: string;
}
