import { z } from 'zod';
import { COUNTIES } from '../../../domain';
import { maskIdNumber, maskPhone } from '../../../people/mask';
import { mobileFailureKey, normalizeMobile } from '../../../people/phone';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow, type FlowInput } from '../../flow';
import { formatSessionTime } from '../../format-time';
import type { IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import { looksLikeQuestion } from '../../question-words';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { contactRouteLine } from '../contact-route/contact-route-module';
import { nameIn } from '../enrol/enrol-answers';
import { preferenceLines } from '../opt-out/opt-out-module';

/** "查看我的信息", "我的资料", "my details": never a deletion (that needs 删除/注销 words, see intent-classifier). */
const VIEW =
  /^(请)?(帮我)?(查看|查一下|看看|看一下|查询|显示)?(我的)(个人)?(信息|资料|登记信息|详细信息)$|^(show |view |see )?my (details|profile|information|info)$/iu;
const FIELD_WORDS: ReadonlyArray<[Field | 'idNumber', RegExp]> = [
  ['idNumber', /(改|换|更正|修改|写错).{0,4}(身份证)|身份证.{0,4}(写错|错了|改|换|更正)|change my id/iu],
  [
    'name',
    /(改|换|更正|修改).{0,3}(名字|姓名)|(名字|姓名).{0,4}(写错|错了|打错)|(名字|姓名).{0,2}(改成|改为|换成)|change my name|change name/iu,
  ],
  [
    'phone',
    /(改|换|更正|修改).{0,3}(电话|手机)(号码?)?|(电话|手机)(号码?)?.{0,4}(写错|错了|打错|换了)|(电话|手机)(号码?)?.{0,2}(改成|改为|换成)|change (my )?(phone|mobile)( number)?( to)?/iu,
  ],
  [
    'county',
    /(改|换|更正|修改).{0,3}(县区|县|区)(?=$|[\s,，:：成为到])|(县区).{0,4}(写错|错了)|change (my )?county( to)?/iu,
  ],
];
/** "停课了我还要去不", "还上课吗": a question about a class, never a cancellation. */
const CLASS_QUESTION =
  /(停课|不上课).{0,8}(还要去|还去|要去|去不|去吗|上不上|还上)|还要?(去|上课)(不|吗|么)|要不要去上课|is (the )?class (cancelled|canceled|still on)/iu;

type Field = 'name' | 'phone' | 'county';
const fieldSchema = z.enum(['name', 'phone', 'county']);

const correction = defineFlow({
  name: 'correct-details',
  version: 1,
  steps: {
    value: z.object({ field: fieldSchema }),
    confirm: z.object({ field: fieldSchema, value: z.string().min(1).max(40) }),
  },
});

const ASK = { name: 'askName', phone: 'askPhone', county: 'askCounty' } as const;
const YES = /^(确定|确认|确定修改|是|是的|对|好|yes|y|ok)$/iu;
const NO = /^(不|否|不改|不改了|不用|no|n)$/iu;

function shown(turn: Turn, field: Field, value: string | undefined): string {
  if (!value) return turn.t('people:details.view.none');
  if (field === 'phone') return maskPhone(value);
  if (field === 'county') return turn.t(`domain:county.${value}`);
  return value;
}

const handoff = (turn: Turn, key: string): ChoiceOption => ({
  label: turn.t(key),
  action: { type: 'intent', intent: 'handoff.human' },
});

/**
 * Issue 18, item 3: view one's details (masked) with one's sign-ups, correct name/phone/county after a
 * confirmation that names the change (ID numbers are corrected by staff), and questions about a class
 * ("停课了我还要去不") answered from the record instead of leading to a cancellation.
 */
export function myDetailsModule(services: DialogServices): DialogModule {
  const route: IntentRoute = (turn, understanding, next) => {
    const text = turn.text.trim();
    // Commands ("/broadcast … 明天停课") and notices are not questions about one's own details or classes.
    if (text.startsWith('/') || understanding.intent === 'broadcast.send') return next(understanding);
    if (VIEW.test(text)) return next({ ...understanding, intent: 'profile.view', confidence: 1 });
    const field = FIELD_WORDS.find(([, re]) => re.test(text))?.[0];
    if (field) return next({ ...understanding, intent: 'profile.correct', confidence: 1, target: field });
    if (CLASS_QUESTION.test(text)) return next({ ...understanding, intent: 'class.question', confidence: 1 });
    return next(understanding);
  };

  /** "把电话改成 139…?": the change named, with 确认 / 不改. */
  function askConfirm(turn: Turn, field: Field, value: string): void {
    const { t } = turn;
    const old = shown(turn, field, field === 'name' ? turn.person.realName : turn.person[field]);
    correction.start(turn, 'confirm', { field, value });
    turn.say(
      t('people:details.correct.confirm', {
        field: t(`people:details.correct.field.${field}`),
        old,
        value: shown(turn, field, value),
      }),
      [
        correction.choice(t('people:details.correct.yes'), 'yes'),
        correction.choice(t('people:details.correct.no'), 'no'),
      ],
    );
  }

  const flow = correction.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      const { t } = turn;
      if (state.step === 'value') {
        const { field } = state.data;
        // "查看我的信息", "改电话", "停课了我还要去不" where a new name is asked: this module's own requests, never a value.
        if (ownRequest(input.text)) return 'pass';
        const value = checkedValue(field, input.text, input.understanding.slots.county);
        if (!value.ok) {
          // "取消报名", "谢谢", "删除我的信息" where a new phone number is asked: another request, not a wrong value.
          if (notAnAnswer(field, input)) return 'pass';
          turn.say(value.message(turn));
          return;
        }
        askConfirm(turn, field, value.value);
        return;
      }
      const answer = input.value ?? input.text.trim();
      const { field, value } = state.data;
      if (answer === 'no' || NO.test(answer)) {
        turn.endFlow();
        turn.say(t('people:details.correct.kept'), mainMenu(t));
        return;
      }
      // Anything else is a new request (an out-of-range number is re-asked by the engine).
      if (answer !== 'yes' && !YES.test(answer)) return 'pass';
      const patch =
        field === 'county'
          ? { county: z.enum(COUNTIES).parse(value) }
          : field === 'phone'
            ? { phone: value }
            : { realName: value };
      turn.person = await services.people.updateProfile(turn.person.id, patch);
      turn.endFlow();
      turn.say(
        t('people:details.correct.saved', {
          field: t(`people:details.correct.field.${field}`),
          value: shown(turn, field, value),
        }),
        mainMenu(t),
      );
    },
  });

  return {
    route,
    flows: [flow],
    intents: {
      async 'profile.view'(turn) {
        const { t, person } = turn;
        const lines = [
          t('people:details.view.intro'),
          t('people:details.view.name', { value: shown(turn, 'name', person.realName) }),
          t('people:details.view.phone', { value: shown(turn, 'phone', person.phone) }),
          t('people:details.view.county', { value: shown(turn, 'county', person.county) }),
          t('people:details.view.idNumber', {
            value: person.maskedIdNumber
              ? maskIdNumber(person.maskedIdNumber)
              : t('people:details.view.none'),
          }),
        ];
        const list = await services.enrolments.listActive(person.id, turn.now);
        lines.push('');
        if (!list.length) lines.push(t('people:details.view.noEnrolments'));
        else {
          lines.push(t('people:details.view.enrolments'));
          lines.push(
            ...list.map((e, i) =>
              t('people:details.view.line', {
                n: i + 1,
                code: e.course.code,
                title: e.course.title[turn.locale],
                status:
                  e.status === 'waitlisted'
                    ? t('enrol:list.waitlisted', { position: e.position ?? '?' })
                    : t(`enrol:list.${e.status}`),
              }),
            ),
          );
        }
        // What is stopped where ("退订", issue 19): flows/opt-out.
        if (services.preferences)
          lines.push('', ...(await preferenceLines(turn, services.preferences, services.writesFirst)));
        // The route reminders and notices try first ("通知方式", issue 19 item 3): flows/contact-route.
        if (services.contactRoute) lines.push(await contactRouteLine(turn, services.contactRoute));
        lines.push('', t('people:details.view.fix'));
        turn.say(lines.join('\n'), mainMenu(t));
      },
      'profile.correct'(turn, understanding) {
        const field = understanding.target;
        if (field === 'idNumber' || !fieldSchema.safeParse(field).success) {
          turn.say(turn.t('people:details.correct.idByStaff'), [
            handoff(turn, 'people:details.correct.handoff'),
          ]);
          return;
        }
        const f = fieldSchema.parse(field);
        // "改电话 13700001111", "名字改成王小明": the new value given with the request goes straight to the confirmation.
        const inline = inlineValue(f, turn.text, understanding.slots.county);
        if (inline) return askConfirm(turn, f, inline);
        correction.start(turn, 'value', { field: f });
        turn.say(turn.t(`people:details.correct.${ASK[f]}`));
      },
      async 'class.question'(turn, understanding) {
        const { t, locale } = turn;
        const options = [handoff(turn, 'people:details.classQuestion.handoff')];
        // A bare time ("明天上午", flows/leave): read as a question about one's classes, or asked back.
        const time = understanding.target?.startsWith('time:') ? understanding.target.slice(5) : undefined;
        const sessions = services.leave
          ? await services.leave.upcoming(turn.person.id, turn.now, 3, { includeCancelled: true })
          : [];
        if (!sessions.length) {
          if (time) turn.say(t('people:details.classQuestion.timeNone', { time }), mainMenu(t));
          else turn.say(t('people:details.classQuestion.none'), options);
          return;
        }
        const lines = sessions.map((s) =>
          t(`people:details.classQuestion.${s.cancelled ? 'cancelled' : 'on'}`, {
            code: s.courseCode,
            title: s.title[locale],
            when: formatSessionTime(s.startsAt, locale, services.timezone),
            venue: s.venue[locale],
          }),
        );
        turn.say(
          `${time ? t('people:details.classQuestion.timeIntro', { time }) : t('people:details.classQuestion.intro')}\n${lines.join('\n')}\n${t('people:details.classQuestion.outro')}`,
          options,
        );
      },
    },
  };
}

/** The requests this module answers ("查看我的信息", "改电话", "还上课吗"): at a value step they leave it. */
function ownRequest(text: string): boolean {
  const words = text.trim();
  return VIEW.test(words) || FIELD_WORDS.some(([, re]) => re.test(words)) || CLASS_QUESTION.test(words);
}

/** A value given in the same message as "改电话"/"改名字"/"改县区", when there is one. */
function inlineValue(field: Field, text: string, county: string | undefined): string | undefined {
  const rest = text
    .replace(FIELD_WORDS.find(([f]) => f === field)![1], ' ')
    .replace(/^[\s,，:：]*(成|为|到|是)?[\s:：]*/u, '')
    .trim();
  if (!rest) return undefined;
  if (field === 'phone') {
    if (!/\d{7}/.test(rest.replace(/[\s-]/g, ''))) return undefined;
    const phone = normalizeMobile(rest);
    return phone.ok ? phone.value : undefined;
  }
  if (field === 'county') return county;
  return nameIn(rest) ?? undefined;
}

/** Words at a value step that ask for something else: no digits where a phone is asked, a question, a request. */
function notAnAnswer(field: Field, input: FlowInput): boolean {
  const { intent, confidence, slots } = input.understanding;
  if (field === 'phone') return !/\d/.test(input.text) && !slots.phone;
  if (field === 'county' && slots.county) return false;
  return looksLikeQuestion(input.text) || (confidence >= 0.75 && intent !== 'unknown');
}

type Checked = { ok: true; value: string } | { ok: false; message: (turn: Turn) => string };

function checkedValue(field: Field, text: string, county: string | undefined): Checked {
  if (field === 'name') {
    const name = nameIn(
      text.replace(/^\s*(我的名字是|我的姓名是|名字是|姓名是|我叫|叫|是|my name is)\s*/iu, ''),
    );
    return name
      ? { ok: true, value: name }
      : { ok: false, message: (t) => t.t('people:details.correct.badName') };
  }
  if (field === 'phone') {
    const phone = normalizeMobile(text);
    return phone.ok
      ? { ok: true, value: phone.value }
      : { ok: false, message: (t) => t.t(mobileFailureKey(phone.reason)) };
  }
  return county
    ? { ok: true, value: county }
    : { ok: false, message: (t) => t.t('people:details.correct.badCounty') };
}
