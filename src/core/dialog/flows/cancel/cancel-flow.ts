import { z } from 'zod';
import type { FamilyRelation } from '../../../domain';
import type { EnrolmentView, FamilyEnrolmentView } from '../../../ports';
import { findCourseCode } from '../../course-code';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { mainMenu } from '../../main-menu';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';
import { whoFor } from '../enrol/family-sign-up';

const cancel = defineFlow({
  name: 'cancel',
  version: 1,
  steps: {
    /** Which of several sign-ups: the choices carry the course codes ("code@member" for a family member's). */
    pick: z.object({}),
    /** memberId: the sign-up is a family member's, cancelled by their proxy. */
    confirm: z.object({ code: z.string(), memberId: z.uuid().optional() }),
  },
});

/** A family member's sign-up being cancelled by their proxy: whose it is, for what the proxy is told. */
interface ForMember {
  id: string;
  realName?: string;
  relation: FamilyRelation;
}

/**
 * Frees the person's seat in `code` (whoever waits first moves up) and says so; `notEnrolledKey` is what they are
 * told when there was no sign-up to cancel. Used by this flow and by the answer to a reminder. `member`: the
 * seat is a family member's, and the one chatting is their proxy.
 */
export async function cancelAndTell(
  turn: Turn,
  services: Pick<DialogServices, 'enrolments'>,
  code: string,
  notEnrolledKey: string,
  member?: ForMember,
): Promise<void> {
  const outcome = await services.enrolments.cancel(member?.id ?? turn.person.id, code);
  if (outcome.status === 'not_enrolled') {
    turn.say(turn.t(notEnrolledKey), mainMenu(turn.t));
    return;
  }
  if (member) turn.emit({ type: 'family_cancelled', course: outcome.course, relation: member.relation });
  else turn.emit({ type: 'cancelled', course: outcome.course });
  if (outcome.promoted)
    turn.emit({ type: 'promoted', course: outcome.course, person: outcome.promoted.personId });
  turn.say(
    member
      ? turn.t('enrol:family.cancel.done', {
          code: outcome.course,
          who: whoFor(turn, member.relation, member),
        })
      : turn.t('enrol:cancel.done', { code: outcome.course }),
    mainMenu(turn.t),
  );
}

type Cancellable = EnrolmentView | FamilyEnrolmentView;
const memberOf = (e: Cancellable) => ('member' in e ? e.member : undefined);
const choiceValue = (e: Cancellable) => {
  const member = memberOf(e);
  return member ? `${e.course.code}@${member.id}` : e.course.code;
};

/** Cancelling a sign-up (one's own or a family member's): pick it if there are several, confirm, free the seat. */
export function cancelModule(services: DialogServices): DialogModule {
  async function cancellable(turn: Turn): Promise<Cancellable[]> {
    const own = await services.enrolments.listActive(turn.person.id, turn.now);
    const family = (await services.family?.listEnrolments(turn.person.id, turn.now)) ?? [];
    return [...own, ...family].filter((e) => e.status !== 'attended');
  }

  function confirm(turn: Turn, e: Cancellable): void {
    const member = memberOf(e);
    cancel.start(turn, 'confirm', { code: e.course.code, memberId: member?.id });
    const params = { code: e.course.code, title: e.course.title[turn.locale] };
    turn.say(
      member
        ? turn.t('enrol:family.cancel.confirm', { ...params, who: whoFor(turn, member.relation, member) })
        : turn.t('enrol:cancel.confirm', params),
      [cancel.choice(turn.t('enrol:cancel.yes'), 'yes'), cancel.choice(turn.t('enrol:cancel.no'), 'no')],
    );
  }

  const flow = cancel.handler({
    async handle(turn, state, input) {
      if (state?.step === 'pick') {
        const active = await cancellable(turn);
        const code = findCourseCode(input.text);
        const chosen = input.value
          ? active.find((e) => choiceValue(e) === input.value)
          : active.filter((e) => e.course.code === code).length === 1
            ? active.find((e) => e.course.code === code)
            : undefined;
        if (!chosen) return 'pass';
        return confirm(turn, chosen);
      }
      if (state?.step !== 'confirm') return 'pass';
      const yes = input.value === 'yes' || /^(确定|确认|是|对|好|yes|y)$/i.test(input.text.trim());
      const no = input.value === 'no' || /^(不|否|不取消|no|n)$/i.test(input.text.trim());
      if (!yes && !no) return 'pass';
      turn.endFlow();
      if (no) {
        turn.say(turn.t('enrol:cancel.kept'), mainMenu(turn.t));
        return;
      }
      const { code, memberId } = state.data;
      // The proxy's link is checked again: only a member of theirs is cancelled in their name.
      const member = memberId ? await services.family?.member(turn.person.id, memberId) : undefined;
      if (memberId && !member) {
        turn.say(turn.t('enrol:cancel.none'), mainMenu(turn.t));
        return;
      }
      await cancelAndTell(turn, services, code, 'enrol:cancel.none', member);
    },
  });

  return {
    flows: [flow],
    intents: {
      async 'enrol.cancel'(turn) {
        const active = await cancellable(turn);
        if (!active.length) {
          turn.say(turn.t('enrol:cancel.none'), mainMenu(turn.t));
          return;
        }
        const code = findCourseCode(turn.text);
        const named = active.filter((e) => e.course.code === code);
        if (named.length === 1 || active.length === 1) return confirm(turn, named[0] ?? active[0]!);
        cancel.start(turn, 'pick', {});
        turn.say(
          turn.t('enrol:cancel.pick'),
          active.map((e) => {
            const member = memberOf(e);
            const params = { code: e.course.code, title: e.course.title[turn.locale] };
            const label = member
              ? turn.t('enrol:family.cancel.choice', {
                  ...params,
                  who: whoFor(turn, member.relation, member),
                })
              : turn.t('enrol:suggest.choice', params);
            return cancel.choice(label, choiceValue(e));
          }),
        );
      },
    },
  };
}
