import { courseInScope } from '../core/access-scope';
import type { CoordinatorAccess } from '../core/outreach-ports';
import type { Db } from '../db/prisma-client';
import type { Prisma } from '../generated/prisma/client';
import type { CoordinatorService } from './coordinator-service';
import type { ClassSessionFields, CourseFields } from './course-input-schema';

export type CourseChange =
  | { status: 'ok'; code: string }
  | { status: 'not_found' }
  | { status: 'not_in_scope' }
  | { status: 'code_taken' }
  | { status: 'capacity_below_taken'; taken: number };

export interface CourseAdminDeps {
  db: Db;
  coordinators: CoordinatorService;
  /** After a class session was added or cancelled: re-plan its reminders. */
  classSessionChanged: (classSessionId: string) => Promise<unknown>;
}

const upcomingClassSessions = { where: { cancelled: false }, orderBy: { startsAt: 'asc' as const } };

/** Course fields as stored (empty optional texts become NULL). */
function courseData(f: CourseFields) {
  return {
    title: f.title,
    titleEn: f.titleEn ?? null,
    trade: f.trade,
    trainingType: f.trainingType,
    county: f.county,
    venue: f.venue,
    venueEn: f.venueEn ?? null,
    capacity: f.capacity,
    feeYuan: f.feeYuan,
    realNameRequired: f.realNameRequired,
    status: f.status,
    description: f.description ?? null,
    subsidyText: f.subsidyText ?? null,
    durationDays: f.durationDays ?? null,
    dailyHours: f.dailyHours ?? null,
    lodging: f.lodging ?? null,
    meals: f.meals ?? null,
    lodgingNote: f.lodgingNote ?? null,
    address: f.address ?? null,
    contactPhone: f.contactPhone?.replace(/\s/g, '') ?? null,
    materials: f.materials ?? null,
    materialsEn: f.materialsEn ?? null,
    certificate: f.certificate ?? null,
    certificateEn: f.certificateEn ?? null,
    minAge: f.minAge ?? null,
    maxAge: f.maxAge ?? null,
    eligibleGroups: f.eligibleGroups ?? [],
    eligibleCounties: f.eligibleCounties ?? [],
    prerequisiteCourseCodes: f.prerequisiteCourseCodes ?? [],
    prerequisiteNote: f.prerequisiteNote ?? null,
  };
}

/**
 * The console's courses: every read and change is limited to the coordinator's scope (courses named in it,
 * or in its counties; admins see all) and every change is written to the audit log.
 */
export function createCourseAdmin({ db, coordinators, classSessionChanged }: CourseAdminDeps) {
  const scoped = (access: CoordinatorAccess, where: Prisma.CourseWhereInput): Prisma.CourseWhereInput => ({
    AND: [coordinators.inScope(access), where],
  });
  /**
   * A course may be created or moved only into the coordinator's counties; a coordinator of one course may
   * keep it where it is (see `update`). The rule is core/access-scope.ts's.
   */
  const mayUse = (access: CoordinatorAccess, county: string, code?: string) =>
    courseInScope(access, { code: code ?? '', county });

  async function find(access: CoordinatorAccess, code: string) {
    return db.course.findFirst({
      where: scoped(access, { code: code.toUpperCase() }),
      include: { sessions: { orderBy: { startsAt: 'asc' } } },
    });
  }

  return {
    mayUse,
    find,

    async list(access: CoordinatorAccess, filter: { status?: string; q?: string } = {}) {
      const q = filter.q?.trim();
      return db.course.findMany({
        where: scoped(access, {
          ...(filter.status ? { status: filter.status } : {}),
          ...(q
            ? {
                OR: [
                  { code: { contains: q, mode: 'insensitive' } },
                  { title: { contains: q, mode: 'insensitive' } },
                ],
              }
            : {}),
        }),
        include: {
          sessions: {
            ...upcomingClassSessions,
            where: { cancelled: false, endsAt: { gt: new Date() } },
            take: 1,
          },
        },
        orderBy: { code: 'asc' },
        take: 500,
      });
    },

    async create(
      access: CoordinatorAccess,
      actorId: string,
      fields: CourseFields,
      classSessions: ClassSessionFields[] = [],
    ): Promise<CourseChange> {
      if (!mayUse(access, fields.county)) return { status: 'not_in_scope' };
      if (await db.course.findUnique({ where: { code: fields.code }, select: { id: true } })) {
        return { status: 'code_taken' };
      }
      await db.course.create({
        data: {
          code: fields.code,
          ...courseData(fields),
          sessions: {
            create: classSessions.map((s) => ({
              startsAt: s.startsAt,
              endsAt: s.endsAt,
              venue: s.venue ?? fields.venue,
              venueEn: fields.venueEn,
            })),
          },
        },
      });
      await coordinators.audit(actorId, 'course.created', fields.code, {
        county: fields.county,
        sessions: classSessions.length,
      });
      return { status: 'ok', code: fields.code };
    },

    async update(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      fields: CourseFields,
    ): Promise<CourseChange> {
      const course = await find(access, code);
      if (!course) return { status: 'not_found' };
      // Moving a course to another county puts it in front of that county's coordinators: only into one's own.
      const keeps = fields.county === course.county ? course.code : undefined;
      if (!mayUse(access, fields.county, keeps)) return { status: 'not_in_scope' };
      if (fields.capacity < course.seatsTaken)
        return { status: 'capacity_below_taken', taken: course.seatsTaken };
      await db.course.update({ where: { id: course.id }, data: courseData(fields) });
      await coordinators.audit(actorId, 'course.updated', course.code, { fields: Object.keys(fields) });
      return { status: 'ok', code: course.code };
    },

    /** No more sign-ups; those enrolled keep their places and reminders. */
    async close(access: CoordinatorAccess, actorId: string, code: string): Promise<CourseChange> {
      const course = await find(access, code);
      if (!course) return { status: 'not_found' };
      await db.course.update({ where: { id: course.id }, data: { status: 'closed' } });
      await coordinators.audit(actorId, 'course.closed', course.code);
      return { status: 'ok', code: course.code };
    },

    async addClassSession(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      s: ClassSessionFields,
    ): Promise<CourseChange> {
      const course = await find(access, code);
      if (!course) return { status: 'not_found' };
      const classSession = await db.classSession.create({
        data: {
          courseId: course.id,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          venue: s.venue ?? course.venue,
          venueEn: course.venueEn,
        },
      });
      await classSessionChanged(classSession.id);
      await coordinators.audit(actorId, 'session.added', course.code, {
        sessionId: classSession.id,
        startsAt: s.startsAt,
      });
      return { status: 'ok', code: course.code };
    },

    async cancelClassSession(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      classSessionId: string,
    ): Promise<CourseChange> {
      const course = await find(access, code);
      const classSession = course?.sessions.find((s) => s.id === classSessionId);
      if (!course || !classSession) return { status: 'not_found' };
      await db.classSession.update({ where: { id: classSession.id }, data: { cancelled: true } });
      await classSessionChanged(classSession.id);
      await coordinators.audit(actorId, 'session.cancelled', course.code, { sessionId: classSessionId });
      return { status: 'ok', code: course.code };
    },
  };
}

export type CourseAdmin = ReturnType<typeof createCourseAdmin>;
