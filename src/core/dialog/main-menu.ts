import type { Translate } from '../i18n';
import type { ChoiceOption } from './chat-session';

/** The menu offered after a greeting, a cancelled flow or anything not understood. */
export function mainMenu(t: Translate): ChoiceOption[] {
  return [
    { label: t('common:menu.policy'), action: { type: 'intent', intent: 'policy.menu' } },
    { label: t('common:menu.courses'), action: { type: 'intent', intent: 'course.search' } },
    { label: t('common:menu.myCourses'), action: { type: 'intent', intent: 'enrol.list' } },
    { label: t('common:menu.human'), action: { type: 'intent', intent: 'handoff.human' } },
    { label: t('common:menu.language'), action: { type: 'intent', intent: 'language.switch' } },
  ];
}
