import type { EnrolmentView, FamilyEnrolmentView } from '../../ports';
import { whoFor } from '../flows/enrol/family-sign-up';
import { formatSessionTime } from '../format-time';
import type { IntentHandler } from '../handler';
import type { DialogServices } from '../services';
import type { Turn } from '../turn';

/** "我报了哪些课": each sign-up with its status and next class, then those of the family members signed up. */
export function enrolList(services: DialogServices): IntentHandler {
  return async (turn) => {
    const { t } = turn;
    const list = await services.enrolments.listActive(turn.person.id, turn.now);
    const family = (await services.family?.listEnrolments(turn.person.id, turn.now)) ?? [];
    if (!list.length && !family.length) {
      turn.say(t('enrol:list.none'), [
        { label: t('common:menu.courses'), action: { type: 'intent', intent: 'course.search' } },
      ]);
      return;
    }
    const parts: string[] = [];
    if (list.length) {
      const lines = list.map((e, i) => t('enrol:list.line', { n: i + 1, ...lineParams(turn, services, e) }));
      parts.push(`${t('enrol:list.intro')}\n${lines.join('\n')}`);
    }
    if (family.length) {
      const lines = family.map((e, i) =>
        t('enrol:family.list.line', {
          n: list.length + i + 1,
          who: whoFor(turn, e.member.relation, e.member),
          ...lineParams(turn, services, e),
        }),
      );
      parts.push(`${t('enrol:family.list.intro')}\n${lines.join('\n')}`);
    }
    turn.say(parts.join('\n\n'), [
      { label: t('enrol:list.cancelOne'), action: { type: 'intent', intent: 'enrol.cancel' } },
      { label: t('common:menu.courses'), action: { type: 'intent', intent: 'course.search' } },
    ]);
  };
}

function lineParams(turn: Turn, services: DialogServices, e: EnrolmentView | FamilyEnrolmentView) {
  const { t, locale } = turn;
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
  return { code: e.course.code, title: e.course.title[locale], status, next };
}
