import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ADULT_AGE, ageOn } from '../core/dialog/flows/enrol/sign-up-eligibility';
import { reminderChoices } from '../core/dialog/flows/reminder/reminder-flow';
import { formatSessionTime } from '../core/dialog/format-time';
import { asLocale, inLocale } from '../core/domain';
import type { Translator } from '../core/i18n';
import type { ChannelName } from '../core/message';
import {
  guardianReminderKey,
  isQuiet,
  planReminders,
  type QuietHours,
  reminderKey,
} from '../core/reminders/reminder-plan';
import type { ReminderFacts, ReminderRepository } from '../db/repositories/reminder-repository';
import type { Outbox, OutboxItem } from '../delivery/outbox';
import { sessionKeyOf } from '../delivery/recipients';

/** Fires at a reminder's due time: checks the sign-up and class still stand, then queues the message. */
export const REMINDER_JOB = 'remind';

export const reminderPayloadSchema = z.object({
  enrolmentId: z.uuid(),
  sessionId: z.uuid(),
  offsetMinutes: z.number().int().positive(),
});
export type ReminderPayload = z.infer<typeof reminderPayloadSchema>;

export interface ReminderJobDeps {
  reminders: ReminderRepository;
  outbox: Outbox;
  translator: Translator;
  timezone: string;
  quiet: QuietHours | undefined;
  /** The job fires this long before the reminder is due; the message is queued to go out when it is due. */
  prepareMs?: number;
}

export type ReminderResult =
  | 'queued'
  | 'failed:no_reachable_channel'
  | 'skipped:not_confirmed'
  | 'skipped:no_session'
  | 'skipped:session_started'
  | 'skipped:quiet_now';

/** A class's reminders fall due together and read the same: each text is written once per class and language. */
const TEXTS_KEPT = 1_000;

export function reminderProcessor(deps: ReminderJobDeps) {
  const texts = new Map<string, string>();
  const reminderText = (
    locale: ReturnType<typeof asLocale>,
    f: ReminderFacts,
    startsAt: Date,
    /** To a proxy or guardian: the member's name; the reminder names them. */
    memberName = f.proxyId ? (f.memberName ?? '') : undefined,
  ): string => {
    const venue = locale === 'en' ? (f.venueEn ?? f.venue) : f.venue;
    const title = inLocale(locale, f.title, f.titleEn);
    const key = JSON.stringify([locale, f.code, title, startsAt.getTime(), venue, memberName ?? null]);
    let text = texts.get(key);
    if (text === undefined) {
      // To a proxy (a parent who signed their daughter up): whose class it is, by name.
      text = deps.translator.forLocale(locale)(
        memberName !== undefined ? 'reminders:messageFamily' : 'reminders:message',
        {
          code: f.code,
          title,
          when: formatSessionTime(startsAt, locale, deps.timezone),
          venue,
          name: memberName ?? '',
        },
      );
      if (texts.size >= TEXTS_KEPT) texts.clear();
      texts.set(key, text);
    }
    return text;
  };

  return async (job: Job, token?: string): Promise<ReminderResult> => {
    const parsed = reminderPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid reminder payload: ${parsed.error.message}`);
    const { enrolmentId, sessionId, offsetMinutes } = parsed.data;
    const f = await deps.reminders.facts(enrolmentId, sessionId);
    if (f?.enrolmentStatus !== 'confirmed' || f.personDeleted) return 'skipped:not_confirmed';
    if (!f.startsAt || f.cancelled || f.sessionCourseId !== f.courseId) return 'skipped:no_session';
    const now = new Date();
    if (f.startsAt <= now) return 'skipped:session_started';
    const [plan] = planReminders(f.startsAt, [offsetMinutes], deps.timezone, deps.quiet);
    const prepareMs = deps.prepareMs ?? 0;
    // The class moved later and nobody rescheduled this job: wait until it is time to prepare it instead.
    if (plan && plan.dueAt.getTime() - prepareMs - now.getTime() > 1_000) {
      await job.moveToDelayed(plan.dueAt.getTime() - prepareMs, token);
      throw new DelayedError();
    }
    // Prepared ahead, it goes out when due; fired late, now.
    const sendAt = plan && plan.dueAt > now ? plan.dueAt : now;
    // Fired late, into quiet hours (workers were down): no message at night.
    if (isQuiet(sendAt, deps.timezone, deps.quiet)) return 'skipped:quiet_now';

    const identity =
      f.channel && f.chatId && f.externalId
        ? { channel: f.channel as ChannelName, chatId: f.chatId, externalId: f.externalId }
        : undefined;
    const locale = asLocale(f.locale);
    const t = deps.translator.forLocale(locale);
    const text = reminderText(locale, f, f.startsAt);
    const notice = {
      params: {
        course: f.title,
        time: formatSessionTime(f.startsAt, 'zh-CN', deps.timezone),
        place: f.venue ?? '',
      },
    };
    const notBefore = sendAt > now ? sendAt.toISOString() : undefined;
    const items: OutboxItem[] = [
      {
        key: reminderKey(enrolmentId, sessionId, offsetMinutes),
        kind: 'reminder',
        // The one written to: the person, or the proxy who gets their reminders (one per enrolment, same key).
        personId: f.proxyId ?? f.personId,
        address: identity,
        message: {
          text,
          choices: reminderChoices(t, { enrolmentId, sessionId }),
          sessionKey: identity ? sessionKeyOf(identity) : undefined,
          notBefore,
          forStartsAt: f.startsAt.toISOString(),
          // Its parts, for template-only channels (an SMS template: course, time, place; docs/sms.md).
          notice,
        },
      },
    ];
    // A minor with a chat of their own: the guardian who signed them up gets a copy naming the child, under
    // its own key (one per recipient, the same on every retry or restart).
    const g = f.guardian;
    if (g && identity && minorAt(f, f.startsAt, deps.timezone)) {
      const address = { channel: g.channel as ChannelName, chatId: g.chatId, externalId: g.externalId };
      const gLocale = asLocale(g.locale);
      items.push({
        key: guardianReminderKey(enrolmentId, sessionId, offsetMinutes),
        kind: 'reminder',
        personId: g.id,
        address,
        message: {
          text: reminderText(gLocale, f, f.startsAt, g.memberName ?? ''),
          choices: reminderChoices(deps.translator.forLocale(gLocale), { enrolmentId, sessionId }),
          sessionKey: sessionKeyOf(address),
          notBefore,
          forStartsAt: f.startsAt.toISOString(),
          notice,
        },
      });
    }
    await deps.outbox.enqueue(items);
    return identity ? 'queued' : 'failed:no_reachable_channel';
  };
}

/** Under 18 at the class: exactly from the ID number's birth date, or surely so from a stated birth year. */
function minorAt(f: Pick<ReminderFacts, 'birthDate' | 'birthYear'>, at: Date, timeZone: string): boolean {
  if (f.birthDate) return ageOn(f.birthDate, at, timeZone) < ADULT_AGE;
  if (f.birthYear) return DateTime.fromJSDate(at, { zone: timeZone }).year - f.birthYear < ADULT_AGE;
  return false;
}
