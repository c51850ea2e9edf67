import { formatSessionTime } from '../format-time';
import type { IntentHandler } from '../handler';
import type { DialogServices } from '../services';

/** "我报了哪些课": each sign-up with its status and next class. */
export function enrolList(services: DialogServices): IntentHandler {
  return async (turn) => {
    const { t, locale } = turn;
    const list = await services.enrolments.listActive(turn.person.id, turn.now);
    if (!list.length) {
      turn.say(t('enrol:list.none'), [
        { label: t('common:menu.courses'), action: { type: 'intent', intent: 'course.search' } },
      ]);
      return;
    }
    const lines = list.map((e, i) => {
      const status =
        e.status === 'waitlisted'
          ? t('enrol:list.waitlisted', { position: e.position ?? '?' })
          : t(`enrol:list.${e.status}`);
      const next = e.course.nextSession
        ? t('enrol:list.next', {
            when: formatSessionTime(e.course.nextSession.startsAt, locale, services.timezone),
            venue: e.course.nextSession.venue[locale],
          })
        : t('enrol:list.noNext');
      return t('enrol:list.line', {
        n: i + 1,
        code: e.course.code,
        title: e.course.title[locale],
        status,
        next,
      });
    });
    turn.say(`${t('enrol:list.intro')}\n${lines.join('\n')}`, [
      { label: t('enrol:list.cancelOne'), action: { type: 'intent', intent: 'enrol.cancel' } },
      { label: t('common:menu.courses'), action: { type: 'intent', intent: 'course.search' } },
    ]);
  };
}
