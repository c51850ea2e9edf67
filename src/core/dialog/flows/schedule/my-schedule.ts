import type { DialogModule } from '../../dialog-module';
import { formatSessionTime } from '../../format-time';
import type { IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { PreferencesPort } from '../opt-out/preferences-port';
import type { SchedulePort } from './schedule-port';

/** "我的课表", "课程表", "我的上课安排", "my schedule" ("上课时间" alone stays a question about a course). */
const MINE =
  /^(请)?(帮我)?(查看|查一下|看看|看一下|查询)?(我的)?(课表|课程表)$|^(请)?(查看|看看|看一下)?我的(上课安排|上课时间表)$|^(show |see )?my (schedule|timetable|classes)$/iu;
/** Classes listed at most. */
const SHOWN = 8;

/**
 * Issue 19, item 6: "我的课表" lists the person's coming classes (cancelled ones left out) with when each
 * reminder will be sent, and says so when they stopped reminders on this channel ("退订").
 */
export function myScheduleModule(
  schedule: SchedulePort,
  timezone: string,
  preferences?: PreferencesPort,
): DialogModule {
  const route: IntentRoute = (turn, u, next) => {
    const text = turn.text
      .normalize('NFKC')
      .trim()
      .replace(/[?？。.!！]$/u, '');
    return MINE.test(text) ? next({ ...u, intent: 'schedule.mine', confidence: 1 }) : next(u);
  };

  return {
    route,
    intents: {
      async 'schedule.mine'(turn) {
        const { t, locale } = turn;
        const when = (d: Date) => formatSessionTime(d, locale, timezone);
        const classes = await schedule.upcoming(turn.person.id, turn.now, SHOWN);
        if (!classes.length) {
          turn.say(t('schedule:mine.none'), mainMenu(t));
          return;
        }
        const stopped = (await preferences?.list(turn.person.id))?.find(
          (p) => p.channel === turn.msg.address.channel && p.optOut === 'all',
        );
        const lines = [t('schedule:mine.intro')];
        for (const c of classes) {
          lines.push(
            t('schedule:mine.line', {
              code: c.code,
              title: c.title[locale],
              when: when(c.startsAt),
              venue: c.venue[locale],
            }),
          );
          if (c.status === 'waitlisted')
            lines.push(t('schedule:mine.waitlisted', { position: c.position ?? '?' }));
          else if (stopped) lines.push(t('schedule:mine.remindersStopped'));
          else if (c.reminders.length)
            lines.push(t('schedule:mine.reminders', { times: c.reminders.map(when).join('、') }));
        }
        if (stopped) lines.push(t('schedule:mine.resumeHint'));
        turn.say(lines.join('\n'), mainMenu(t));
      },
    },
  };
}
