import { factQuestion, onlyAFact } from '../../courses/course-fact-question';
import { parseChineseNumber } from '../../nlu/slots/chinese-number';
import type { ChoiceOption } from '../chat-session';
import { findCourseCode } from '../course-code';
import { currentCourse, rememberCourse } from '../current-course';
import type { DialogModule } from '../dialog-module';
import { enrol, type FamilyData } from '../flows/enrol/enrol-steps';
import type { IntentRoute, TurnGate } from '../handler';
import type { HandledIntent } from '../intent-name';
import type { DialogServices } from '../services';
import type { Turn } from '../turn';
import { describeFacts } from './course-facts-answer';

/** "收到", "好的", "谢谢", "ok", "thanks": an acknowledgement, nothing to answer but politely. */
const ACK =
  /^(收到|收到了|好的?|好滴|好嘞|好吧|行|可以|嗯+|明白了?|知道了|了解了?|谢谢|谢谢你|谢谢您|多谢|感谢|谢了|ok|okay|okey|k|thanks?|thankyou|thx|gotit|noted|great|cool|👌|👍|🙏)+$/iu;
const THANKS = /谢|感谢|thank|thx|🙏/i;
/** Words around a bare course code that ask for nothing else: "LD-YH-01", "看看 LD-YH-01", "LD-YH-01 这个". */
const CODE_FILLER =
  /看看|看一下|看下|查看|查一下|查|这个|那个|课程|课|班|详情|介绍|的|呢|吧|show|me|details?|about|course|the|info|please|[\s\p{P}\p{S}]/giu;
const EN_ORDINAL: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};

/**
 * Commands and requests that name a course or a fact without asking about it ("/broadcast ZX-DS-01 证书…").
 * Not `handoff.human`: "联系电话" after seeing a course asks for its number; "人工电话" is kept out by
 * factQuestion itself.
 */
const NOT_MINE = new Set<HandledIntent>([
  'broadcast.send',
  'broadcast.report',
  'coordinator.redeem',
  'privacy.delete',
  'enrol.cancel',
  'language.switch',
  'profile.reset',
]);

const squash = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}]|[~～]/gu, '');

export function isAcknowledgement(text: string): boolean {
  const s = squash(text).replace(/(啦|了|哈|呀|啊|哦|的|您|你)+$/u, '');
  return s.length > 0 && s.length <= 12 && ACK.test(s);
}

/** A course code with nothing else asked: the person wants to see that course. */
function bareCode(text: string): string | undefined {
  const code = findCourseCode(text);
  if (!code) return undefined;
  const rest = text
    .normalize('NFKC')
    .replace(/[A-Za-z]{2}\s*[-－_ ]\s*[A-Za-z]{2,4}\s*[-－_ ]\s*\d{2}/, '')
    .replace(CODE_FILLER, '');
  return rest ? undefined : code;
}

/** "2号", "第2个", "第二门", "the second one", "number 2", "#2": a position in the list just shown. */
export function ordinalOf(text: string): number | undefined {
  const s = text.normalize('NFKC').trim().toLowerCase();
  const digit =
    /^(?:第\s*)?(\d{1,2})\s*(?:号|个|门|项|条|班)$|^第\s*(\d{1,2})$|^(?:number|no\.?|#)\s*(\d{1,2})$|^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?:\s+one)?$/.exec(
      s,
    );
  if (digit) return Number(digit[1] ?? digit[2] ?? digit[3] ?? digit[4]);
  const cn = /^第?([一二两三四五六七八九十])(?:个|门|项|条|号|班)$|^第([一二三四五六七八九十])$/.exec(s);
  if (cn) return parseChineseNumber((cn[1] ?? cn[2])!);
  const en =
    /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?:\s+(?:one|course|class))?$/.exec(
      s,
    );
  return en ? EN_ORDINAL[en[1]!] : undefined;
}

/**
 * Follow-ups read in the light of what was just shown (docs/web-chat-and-console.md, "Course facts"). Its
 * route sits before the policy route: a question about a course's facts ("学几天？", "包吃住不", "在哪上课")
 * within half an hour of seeing or signing up for a course is answered from that course's record; a bare
 * course code or an ordinal after a list picks that course; "收到"/"谢谢" get a short acknowledgement. Without
 * a current course the same words go on untouched.
 */
export function courseFactsModule(services: DialogServices): DialogModule {
  /**
   * The sign-up a turn began in, if it was waiting for "报名?" to be confirmed: a fact question leaves that
   * step (the engine ends it), and the answer puts the person back on it with its data (a family member too).
   */
  const deciding = new WeakMap<Turn, { code: string; family?: FamilyData }>();
  const gate: TurnGate = async (turn) => {
    const state = enrol.read(turn.session.flow);
    if (state?.step === 'confirm') deciding.set(turn, state.data);
    return false;
  };

  const route: IntentRoute = async (turn, u, next) => {
    const text = turn.text;
    if (isAcknowledgement(text)) {
      // The choices last offered stay: "好的" and then "2" still picks from the list.
      const kept = turn.session.choices;
      await next({ ...u, intent: 'chat.ack', confidence: 1 });
      if (!turn.session.choices.length) turn.session.choices = kept;
      return;
    }
    if (text.trimStart().startsWith('/') || NOT_MINE.has(u.intent)) return next(u);
    const code = bareCode(text);
    if (code) return next({ ...u, intent: 'choice.course', confidence: 1, target: code });
    const position = ordinalOf(text);
    const picked = position === undefined ? undefined : turn.session.choices[position - 1]?.action;
    if (picked?.type === 'course') {
      return next({ ...u, intent: 'choice.course', confidence: 1, target: picked.code });
    }
    if (factQuestion(text).length) {
      const about = findCourseCode(text) ?? currentCourse(turn)?.code;
      if (about) return next({ ...u, intent: 'course.fact', confidence: 1, target: about });
      // "要带什么" with a list of courses just shown and none chosen: which one? Only a question that names
      // nothing but the fact ("公共实训基地建在哪里" is the plan's); picking one (by number or button) asks the
      // same question of that course.
      const options = turn.session.choices.flatMap(({ label, action }) =>
        action.type === 'course'
          ? [{ label, action: { type: 'say' as const, text: `${action.code} ${text.trim()}` } }]
          : [],
      );
      if (options.length && onlyAFact(text)) {
        // The course code and the question must still read as a fact question (at most 40 characters).
        if (options.every((o) => factQuestion(o.action.text).length)) {
          turn.intent = 'course.fact';
          turn.answer = 'clarify';
          turn.say(turn.t('courses:factWhich'), options);
          return;
        }
      }
    }
    return next(u);
  };

  return {
    gate,
    route,
    intents: {
      'chat.ack'(turn) {
        turn.say(turn.t(THANKS.test(turn.text) ? 'courses:ack.thanks' : 'courses:ack.ok'));
      },
      async 'course.fact'(turn, u) {
        const code = u.target ?? '';
        const course = await services.catalog.findByCode(code, turn.now);
        if (!course) {
          turn.say(turn.t('enrol:course.notFound', { code }));
          return;
        }
        turn.answer = 'course';
        const was = currentCourse(turn);
        const via = was?.code === course.code ? was.via : 'viewed';
        rememberCourse(turn, course.code, via);
        const { text: answer, missing } = describeFacts(
          turn,
          course,
          factQuestion(turn.text),
          services.timezone,
        );
        const choices: ChoiceOption[] = [];
        // Still deciding: the sign-up stays one word away, as after seeing the course.
        if (via === 'viewed' && course.status === 'open' && !turn.msg.isGroup) {
          const before = deciding.get(turn);
          enrol.start(turn, 'confirm', before?.code === course.code ? before : { code: course.code });
          const full = course.seatsTaken >= course.capacity;
          choices.push(
            enrol.choice(turn.t(full ? 'courses:detail.joinWaitlist' : 'enrol:course.signUp'), 'yes'),
          );
          choices.push({
            label: turn.t('enrol:course.others'),
            action: { type: 'intent', intent: 'course.search' },
          });
        }
        if (missing) {
          choices.push({
            label: turn.t('common:menu.human'),
            action: { type: 'intent', intent: 'handoff.human' },
          });
        }
        turn.say(answer, choices);
      },
    },
  };
}
