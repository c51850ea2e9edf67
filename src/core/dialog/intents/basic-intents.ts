import type { DialogModule } from '../dialog-module';
import { mainMenu } from '../main-menu';
import { answerSmallTalk } from '../small-talk';

const REFUSES_ENGLISH =
  /(看不懂|听不懂|不懂|不会|不要|不认识)(英文|英语)|\b(don'?t|can'?t|cannot|do not) (read|understand|speak) english\b/i;
const REFUSES_CHINESE =
  /(看不懂|听不懂|不懂|不会|不要|不认识)(中文|汉语|汉字)|\b(don'?t|can'?t|cannot|do not) (read|understand|speak) chinese\b/i;

/** Greeting, help, language switch, hand-off to a person, and the fallback for anything not understood. */
export function basicIntents(options: {
  handoffPhone: string;
  updateLocale: (personId: string, locale: 'zh-CN' | 'en') => Promise<void>;
}): DialogModule {
  return {
    intents: {
      async greeting(turn) {
        // A greeting in the other language is a clear wish to talk in it ("hello" after 你好).
        const spoken = /\p{Script=Han}/u.test(turn.text)
          ? 'zh-CN'
          : /^[\s\p{Script=Latin}\p{P}]+$/u.test(turn.text)
            ? 'en'
            : undefined;
        if (spoken && spoken !== turn.locale) {
          turn.setLocale(spoken);
          await options.updateLocale(turn.person.id, spoken);
        }
        const { t } = turn;
        const welcome =
          // Never the real name in a group chat, where everyone reads it.
          turn.person.realName && !turn.person.isNew && !turn.msg.isGroup
            ? `${t('common:greetingReturning', { name: turn.person.realName })}\n`
            : '';
        turn.say(`${welcome}${t('common:greeting')}\n${t('common:menuIntro')}`, mainMenu(t));
      },
      help(turn) {
        turn.say(`${turn.t('common:help')}\n${turn.t('common:menuIntro')}`, mainMenu(turn.t));
      },
      async 'language.switch'(turn, understanding) {
        const requested =
          understanding.target === 'zh-CN' || understanding.target === 'en'
            ? understanding.target
            : undefined;
        // "我看不懂英文", "不要英文", "I can't read Chinese": the other language is wanted.
        const refusesEnglish = REFUSES_ENGLISH.test(turn.text);
        const refusesChinese = REFUSES_CHINESE.test(turn.text);
        const wantsEnglish = refusesChinese || (!refusesEnglish && /english|英文|英语/i.test(turn.text));
        const wantsChinese =
          refusesEnglish || (!refusesChinese && /中文|汉语|chinese|普通话/i.test(turn.text));
        const next =
          requested ??
          (wantsEnglish && !wantsChinese
            ? 'en'
            : wantsChinese && !wantsEnglish
              ? 'zh-CN'
              : turn.locale === 'en'
                ? 'zh-CN'
                : 'en');
        turn.setLocale(next);
        await options.updateLocale(turn.person.id, next);
        turn.emit({ type: 'locale_changed', locale: next });
        turn.say(`${turn.t('common:languageSwitched')}\n${turn.t('common:menuIntro')}`, mainMenu(turn.t));
      },
      'handoff.human'(turn) {
        turn.emit({ type: 'handoff_requested' });
        turn.say(turn.t('common:handoff', { phone: options.handoffPhone }));
      },
      unknown(turn) {
        if (answerSmallTalk(turn)) return;
        turn.say(turn.t('common:unknown'), mainMenu(turn.t));
      },
    },
  };
}
