import { z } from 'zod';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { formatSessionTime } from '../../format-time';
import type { IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import { coordinatorAccess, type OutreachDialogServices } from '../../outreach-services';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';

/** "请假", "周二来不了", "下次课我请个假", "I can't come on Tuesday": leave for one class, never a cancellation. */
const LEAVE =
  /请假|请个假|请一天假|(周|星期|礼拜)[一二三四五六日天1-7]?.{0,3}(来不了|去不了|上不了)|(下次|明天|后天|这次).{0,3}(课)?.{0,2}(来不了|去不了|上不了)|can'?t (come|make it|attend)( to class)? on|miss (the |next |tomorrow'?s )?class|take (a )?leave|leave request/iu;
/** Words that ask to give up the sign-up altogether: those stay with the cancel flow. */
const CANCEL = /取消|退课|退班|退出|不学了|不报了|cancel|withdraw|quit/iu;
const SKIP = /^(跳过|没有|无|不用|不说|skip|no|none)$/iu;
const DAY = '(今天|明天|后天|大后天|今晚|明晚|明早|(这|下)?(周|星期|礼拜)[一二三四五六日天1-7])';
const PART = '(早上|上午|中午|下午|傍晚|晚上|早晨|凌晨)';
const CLOCK = '([0-9一二三四五六七八九十两]{1,3}(点|:)[0-9半一二三四五六七八九十]{0,3}分?)';
/** Only a time, nothing asked or told ("明天上午", "周三下午2点", "tomorrow morning"): not a notice to send. */
const BARE_TIME = new RegExp(
  `^(?!(的课|呢|吧|啊)?$)${DAY}?${PART}?${CLOCK}?(的课|呢|吧|啊)?$|^(today|tomorrow|tonight)( (morning|afternoon|evening))?( at \\d{1,2}(:\\d\\d)? ?([ap]m)?)?$`,
  'iu',
);

/** The time a bare time phrase names, as typed (without trailing punctuation), or undefined. */
export function bareTime(text: string): string | undefined {
  const s = text
    .normalize('NFKC')
    .trim()
    .replace(/[\s?？。.!！~～]+$/u, '');
  return s.length <= 20 && BARE_TIME.test(s) ? s : undefined;
}
const MAX_OPTIONS = 6;

const sessionSchema = z.object({
  enrolmentId: z.string().uuid(),
  sessionId: z.string().uuid(),
  code: z.string(),
  when: z.string(),
});
const leave = defineFlow({
  name: 'leave',
  version: 1,
  steps: {
    session: z.object({ options: z.array(sessionSchema).min(1).max(MAX_OPTIONS) }),
    reason: sessionSchema,
  },
});

const handoff = (turn: Turn): ChoiceOption => ({
  label: turn.t('people:leave.handoff'),
  action: { type: 'intent', intent: 'handoff.human' },
});

/**
 * Issue 18, item 3: a leave request for one class session of a confirmed sign-up, with an optional reason.
 * It is recorded (LeaveRequest) and shown on the course's console roster; the sign-up stays.
 */
export function leaveModule(services: DialogServices, outreach?: OutreachDialogServices): DialogModule {
  const route: IntentRoute = async (turn, understanding, next) => {
    const text = turn.text.trim();
    // "明天上午" from someone who sends no notices: a question about their classes, not a notice (issue 18).
    const time = bareTime(text);
    if (time && !(outreach && (await coordinatorAccess(turn, outreach))))
      return next({ ...understanding, intent: 'class.question', confidence: 1, target: `time:${time}` });
    const leave = LEAVE.test(text) && !CANCEL.test(text);
    // "我下周二请假" reads like a notice with a date to the classifier; from a trainee it is their leave.
    if (
      leave &&
      understanding.intent === 'broadcast.send' &&
      !(outreach && (await coordinatorAccess(turn, outreach)))
    )
      return next({ ...understanding, intent: 'leave.request', confidence: 1 });
    if (text.startsWith('/') || understanding.intent === 'broadcast.send') return next(understanding);
    if (leave) return next({ ...understanding, intent: 'leave.request', confidence: 1 });
    return next(understanding);
  };

  const flow = leave.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      const { t } = turn;
      if (state.step === 'session') {
        const picked = input.value === undefined ? undefined : state.data.options[Number(input.value)];
        if (!picked) return 'pass';
        leave.start(turn, 'reason', picked);
        turn.say(t('people:leave.askReason', { code: picked.code, when: picked.when }), [
          leave.choice(t('people:leave.skip'), 'skip'),
        ]);
        return;
      }
      const typed = input.text.trim();
      const reason = input.value === 'skip' || SKIP.test(typed) || !typed ? undefined : typed.slice(0, 200);
      const outcome = await services.leave!.record(state.data.enrolmentId, state.data.sessionId, reason);
      turn.endFlow();
      const params = { code: state.data.code, when: state.data.when };
      turn.say(t(outcome === 'ok' ? 'people:leave.recorded' : 'people:leave.already', params), mainMenu(t));
    },
  });

  return {
    route,
    flows: [flow],
    intents: {
      async 'leave.request'(turn) {
        const { t, locale } = turn;
        if (!services.leave) {
          turn.say(t('people:leave.unavailable'), [handoff(turn)]);
          return;
        }
        const upcoming = await services.leave.upcoming(turn.person.id, turn.now, MAX_OPTIONS);
        if (!upcoming.length) {
          turn.say(t('people:leave.none'), [handoff(turn)]);
          return;
        }
        const options = upcoming.map((o) => ({
          enrolmentId: o.enrolmentId,
          sessionId: o.sessionId,
          code: o.courseCode,
          when: formatSessionTime(o.startsAt, locale, services.timezone),
        }));
        leave.start(turn, 'session', { options });
        turn.say(
          t('people:leave.pick'),
          options.map((o, i) => leave.choice(t('people:leave.option', o), String(i))),
        );
      },
    },
  };
}
