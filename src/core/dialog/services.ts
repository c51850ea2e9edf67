import type {
  CourseCatalog,
  EnrolmentRepository,
  FamilyRepository,
  LeaveRequestRepository,
  PeopleRepository,
} from '../ports';

/** The domain services handlers use; main wires Prisma-backed implementations. */
export interface DialogServices {
  people: PeopleRepository;
  catalog: CourseCatalog;
  enrolments: EnrolmentRepository;
  /** Family and proxy sign-up ("帮我女儿报名"); without it such a sign-up is the writer's own. */
  family?: FamilyRepository;
  /** Leave requests ("周二来不了"); without it the dialog says it cannot record one and offers a person. */
  leave?: LeaveRequestRepository;
  handoffPhone: string;
  timezone: string;
}
