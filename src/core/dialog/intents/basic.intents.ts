import type { IntentHandler } from '../handler';
import { mainMenu } from '../main-menu';

/** Greeting, help, language switch, hand-off to a person, and the fallback for anything not understood. */
export function basicIntents(options: {
  handoffPhone: string;
  updateLocale: (personId: string, locale: 'zh-CN' | 'en') => Promise<void>;
}): Record<string, IntentHandler> {
  return {
    greeting(turn) {
      const { t } = turn;
      const welcome =
        turn.person.realName && !turn.person.isNew
          ? `${t('common:greetingReturning', { name: turn.person.realName })}\n`
          : '';
      turn.say(`${welcome}${t('common:greeting')}\n${t('common:menuIntro')}`, mainMenu(t));
    },
    help(turn) {
      turn.say(`${turn.t('common:help')}\n${turn.t('common:menuIntro')}`, mainMenu(turn.t));
    },
    async 'language.switch'(turn, understanding) {
      const requested =
        understanding.target === 'zh-CN' || understanding.target === 'en' ? understanding.target : undefined;
      const wantsEnglish = /english|英文|英语/i.test(turn.text);
      const wantsChinese = /中文|汉语|chinese|普通话/i.test(turn.text);
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
      turn.say(turn.t('common:unknown'), mainMenu(turn.t));
    },
  };
}
