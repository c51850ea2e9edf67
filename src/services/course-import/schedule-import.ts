import { z } from 'zod';
import type { CoordinatorAccess } from '../../core/outreach-ports';
import type { Db } from '../../db/prisma-client';
import type { CoordinatorService } from '../coordinator-service';
import type { CourseAdmin } from '../course-admin-service';
import { COURSE_CODE } from '../course-input-schema';
import type { ScheduleChanges } from '../schedule-change-service';

const code = z.string().trim().toUpperCase().regex(COURSE_CODE);
const place = z.string().trim().min(1).max(200);

/** A class ends after it starts. */
const endsAfterStart = (t: { startsAt: Date; endsAt: Date }) => t.endsAt.getTime() > t.startsAt.getTime();
const period = { message: 'ends_before_start', path: ['endsAt'] };

/** One change the import preview lists, as its confirmation form sends it back (parsed, never trusted). */
export const scheduleItemSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('move'),
      code,
      sessionId: z.uuid(),
      was: z.coerce.date(),
      startsAt: z.coerce.date(),
      endsAt: z.coerce.date(),
      venue: place,
    })
    .refine(endsAfterStart, period),
  z.object({ kind: z.literal('cancel'), code, sessionId: z.uuid(), was: z.coerce.date() }),
  z
    .object({
      kind: z.literal('add'),
      code,
      startsAt: z.coerce.date(),
      endsAt: z.coerce.date(),
      venue: place,
    })
    .refine(endsAfterStart, period),
  z.object({ kind: z.literal('venue'), code, from: place, to: place, toEn: place.optional() }),
]);
export type ScheduleItem = z.infer<typeof scheduleItemSchema>;

export interface ScheduleImportOutcome {
  moved: number;
  cancelled: number;
  added: number;
  /** Changes found already made, or overtaken by another change since the preview: nothing done, nobody told. */
  unchanged: number;
  /** Distinct people told (a person in two moved classes counts once). */
  notified: number;
  unreachable: number;
}

/**
 * The confirmation of an import's schedule changes: each goes through the same schedule-change service as
 * the console's sessions page (source `import`): the session is changed only if it is still as previewed,
 * reminders are re-planned, the people concerned are told once. A second confirmation changes nothing.
 */
export function createScheduleImport(deps: {
  db: Db;
  courses: CourseAdmin;
  coordinators: CoordinatorService;
  scheduleChanges: ScheduleChanges;
}) {
  return {
    async confirm(
      access: CoordinatorAccess,
      actorId: string,
      items: readonly ScheduleItem[],
    ): Promise<ScheduleImportOutcome> {
      const out: ScheduleImportOutcome = {
        moved: 0,
        cancelled: 0,
        added: 0,
        unchanged: 0,
        notified: 0,
        unreachable: 0,
      };
      const told = new Set<string>();
      // The course's new venue first, then moves before additions (an added class may take a moved one's time).
      const order = ['venue', 'move', 'cancel', 'add'] as const;
      const sorted = [...items].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
      // Each course is loaded once, and again only after a change to it went through.
      const loaded = new Map<string, Awaited<ReturnType<CourseAdmin['find']>>>();
      const courseOf = async (code: string) => {
        if (!loaded.has(code)) loaded.set(code, await deps.courses.find(access, code));
        return loaded.get(code);
      };
      for (const item of sorted) {
        const course = await courseOf(item.code);
        if (!course) {
          out.unchanged++;
          continue;
        }
        if (item.kind === 'venue') {
          const updated = await deps.db.course.updateMany({
            where: { id: course.id, venue: item.from },
            data: { venue: item.to, venueEn: item.toEn ?? null },
          });
          if (updated.count) {
            loaded.delete(item.code);
            await deps.coordinators.audit(actorId, 'course.updated', course.code, {
              fields: ['venue'],
              source: 'import',
            });
          }
          continue;
        }
        if (item.kind === 'add') {
          // Guarded: only if no session of the course starts then (a second confirmation, even at once, adds none).
          const added = await deps.scheduleChanges.addSession(access, actorId, course.code, item, 'import');
          if (added.status === 'ok') {
            out.added++;
            loaded.delete(item.code);
          } else out.unchanged++;
          continue;
        }
        const session = course.sessions.find((s) => s.id === item.sessionId);
        // Changed (or cancelled) by someone else since the preview, or this confirmation came twice.
        if (!session || session.cancelled || session.startsAt.getTime() !== item.was.getTime()) {
          out.unchanged++;
          continue;
        }
        const outcome = await deps.scheduleChanges.applySession(
          access,
          actorId,
          course.code,
          session.id,
          item.kind === 'move'
            ? { kind: 'move', startsAt: item.startsAt, endsAt: item.endsAt, venue: item.venue }
            : { kind: 'cancel' },
          'import',
        );
        if (outcome.status !== 'ok') {
          out.unchanged++;
          continue;
        }
        loaded.delete(item.code);
        if (item.kind === 'move') out.moved++;
        else out.cancelled++;
        for (const personId of outcome.told) told.add(personId);
        out.unreachable += outcome.unreachable;
      }
      out.notified = told.size;
      return out;
    },
  };
}

export type ScheduleImport = ReturnType<typeof createScheduleImport>;
