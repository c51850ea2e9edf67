import { z } from 'zod';
import { loadPiiCipher } from '../app/pii-keys';
import type { Config } from '../config';
import { shownCode } from '../core/attendance/checkin-code';
import { checkinWindow, windowState } from '../core/attendance/checkin-rules';
import type { Database } from '../db/database';
import { createLogger } from '../logger';
import { checkinRulesOf, checkinSecret } from '../services/checkin-service';
import { currentOrNextSession, nthSession, sessionOrder } from '../services/checkin-sessions';

interface Context {
  database: Database;
  config: Config;
}

const codeInput = z.object({
  course: z.string().trim().toUpperCase().min(1),
  session: z.number().int().min(1).max(10_000).optional(),
  now: z.coerce.date().optional(),
});

/** A task refused for its input: the message is for the operator (the CLI prints it and exits 1). */
export class AttendanceTaskError extends Error {}

/** `jineng attendance code`: the check-in code a coordinator would show now (docs/attendance.md). */
export const attendanceTasks = {
  'attendance.code': {
    input: codeInput,
    run: async ({ database, config }: Context, input: z.infer<typeof codeInput>) => {
      const db = database.prisma;
      const now = input.now ?? new Date();
      const rules = checkinRulesOf(config);
      const course = await db.course.findUnique({
        where: { code: input.course },
        select: { id: true, code: true },
      });
      if (!course) throw new AttendanceTaskError(`unknown course code ${input.course}`);
      const session = input.session
        ? await nthSession(db, course.id, input.session)
        : await currentOrNextSession(db, course.id, now, rules.closesAfterMinutes);
      if (!session) {
        const count = (await sessionOrder(db, course.id)).length;
        throw new AttendanceTaskError(
          input.session
            ? `${course.code} has ${count} session(s); there is no session ${input.session}`
            : `${course.code} has no session left to check in to; name one with --session N (1-${count})`,
        );
      }
      if (session.cancelled)
        throw new AttendanceTaskError(`session ${input.session} of ${course.code} is cancelled`);
      const order = await sessionOrder(db, course.id);
      const secret = checkinSecret(config, loadPiiCipher(config, createLogger('error')));
      const shown = shownCode(secret, session.id, session.startsAt, now, rules);
      const window = checkinWindow(session.startsAt, rules);
      return {
        course: course.code,
        session: order.indexOf(session.id) + 1,
        code: shown.code,
        valid_until: shown.validUntil.toISOString(),
        state: windowState(now, session.startsAt, rules),
        starts_at: session.startsAt.toISOString(),
        opens_at: window.opensAt.toISOString(),
        closes_at: window.closesAt.toISOString(),
      };
    },
  },
};
