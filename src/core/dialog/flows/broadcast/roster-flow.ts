import { z } from 'zod';
import { type BroadcastTarget, matchTargets } from '../../../broadcast/broadcast-request';
import { parseRosterRequest, type RosterKind } from '../../../broadcast/roster-request';
import type { ChatRoster, ChatRosterRow, CoordinatorAccess, LeaveListEntry } from '../../../outreach-ports';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { formatSessionTime } from '../../format-time';
import { type IntentRoute, tradesIn } from '../../handler';
import { coordinatorAccess, type OutreachDialogServices, refuse } from '../../outreach-services';
import type { Turn } from '../../turn';
import { pickedClass } from './picked-class';

const roster = defineFlow({
  name: 'roster',
  version: 1,
  steps: {
    /** Several classes fit: which one. */
    pick: z.object({ kind: z.enum(['roster', 'leave']) }),
  },
});
const MAX_CHOICES = 9;
const INTENT: Record<RosterKind, 'roster.view' | 'roster.leave'> = {
  roster: 'roster.view',
  leave: 'roster.leave',
};

/**
 * Issue 18 item 7: a coordinator reads a class's roster ("花名册 LD-YH-01", "名单") or the leave requests
 * ("谁请假了") in chat, for the classes in their scope only, names and phones masked and never an ID number,
 * in a private chat only; the same polite refusal as every coordinator command for everyone else.
 */
export function rosterModule(outreach: OutreachDialogServices): DialogModule {
  const when = (turn: Turn, d: Date) => formatSessionTime(d, turn.locale, outreach.timezone);

  function who(turn: Turn, p: { name?: string; phone?: string }): string {
    if (p.name && p.phone)
      return turn.t('coordinator:report.personNamePhone', { name: p.name, phone: p.phone });
    return p.name ?? p.phone ?? turn.t('coordinator:someone');
  }

  function rosterLine(turn: Turn, r: ChatRosterRow, n: number): string {
    const line = turn.t(
      r.status === 'waitlisted' ? 'coordinator:roster.rowWaitlisted' : 'coordinator:roster.row',
      { n, who: who(turn, r), position: r.waitlistPosition ?? '' },
    );
    if (!r.leave.length) return line;
    const dates = r.leave.map((d) => when(turn, d)).join(turn.t('coordinator:roster.dateJoin'));
    return `${line}${turn.t('coordinator:roster.onLeave', { dates })}`;
  }

  function sayRoster(turn: Turn, r: ChatRoster): void {
    const title = r.course.title[turn.locale];
    const lines = [
      turn.t('coordinator:roster.head', {
        code: r.course.code,
        title,
        confirmed: r.confirmed,
        waitlisted: r.waitlisted,
      }),
    ];
    if (!r.total) lines.push(turn.t('coordinator:roster.empty'));
    lines.push(...r.rows.map((row, i) => rosterLine(turn, row, i + 1)));
    if (r.total > r.rows.length)
      lines.push(turn.t('coordinator:roster.more', { count: r.total - r.rows.length }));
    lines.push(turn.t('coordinator:roster.masked'));
    turn.say(lines.join('\n'));
  }

  function sayLeave(turn: Turn, entries: LeaveListEntry[], code?: string): void {
    if (!entries.length) {
      turn.say(
        code ? turn.t('coordinator:leaveList.noneFor', { code }) : turn.t('coordinator:leaveList.none'),
      );
      return;
    }
    const lines = [turn.t('coordinator:leaveList.head', { count: entries.length })];
    for (const e of entries) {
      lines.push(
        turn.t(e.reason ? 'coordinator:leaveList.lineReason' : 'coordinator:leaveList.line', {
          code: e.course.code,
          title: e.course.title[turn.locale],
          when: when(turn, e.startsAt),
          who: who(turn, e),
          reason: e.reason ?? '',
        }),
      );
    }
    turn.say(lines.join('\n'));
  }

  async function answer(turn: Turn, access: CoordinatorAccess, kind: RosterKind, code: string) {
    turn.endFlow();
    if (kind === 'leave') {
      const entries = await outreach.coordination.leaveList(turn.person.id, access, code, turn.now);
      return sayLeave(turn, entries, code);
    }
    const found = await outreach.coordination.roster(turn.person.id, access, code);
    if (!found) {
      turn.say(turn.t('coordinator:broadcast.noClass', { target: code }));
      return;
    }
    sayRoster(turn, found);
  }

  function askClass(turn: Turn, kind: RosterKind, classes: BroadcastTarget[], intro?: string): void {
    roster.start(turn, 'pick', { kind });
    const ask = turn.t(kind === 'leave' ? 'coordinator:leaveList.askClass' : 'coordinator:roster.askClass');
    turn.say(
      intro ? `${intro}\n${ask}` : ask,
      classes
        .slice(0, MAX_CHOICES)
        .map((c) => roster.choice(`${c.code} ${c.title[turn.locale]}`, `class:${c.code}`)),
    );
  }

  const start = (kind: RosterKind) => async (turn: Turn) => {
    const access = await coordinatorAccess(turn, outreach);
    if (!access) return refuse(turn, outreach, INTENT[kind]);
    // Names and phones are for the coordinator, not for a group chat that may hold the trainees themselves.
    if (turn.msg.isGroup) {
      turn.say(turn.t('coordinator:roster.privateOnly'));
      return;
    }
    const request = parseRosterRequest(turn.text) ?? { kind, target: '' };
    if (request.code) return answer(turn, access, kind, request.code);
    // "谁请假了" with no class: every class in scope at once.
    if (kind === 'leave' && !request.target) {
      const entries = await outreach.coordination.leaveList(turn.person.id, access, undefined, turn.now);
      return sayLeave(turn, entries);
    }
    const scope = await outreach.coordination.targets(access, turn.now);
    if (!scope.length) {
      turn.say(turn.t('coordinator:broadcast.noClasses'));
      return;
    }
    const slots = request.target ? outreach.slotsOf(request.target) : {};
    const matches = request.target
      ? matchTargets(scope, {
          target: request.target,
          everyone: false,
          trades: tradesIn(slots),
          county: slots.county,
        })
      : scope;
    if (matches.length === 1) return answer(turn, access, kind, matches[0]!.code);
    if (!matches.length)
      return askClass(turn, kind, scope, turn.t('coordinator:broadcast.noClass', { target: request.target }));
    askClass(turn, kind, matches);
  };

  const intents = { 'roster.view': start('roster'), 'roster.leave': start('leave') } as const;

  /**
   * Ahead of the trainee's leave request ("请假" in "谁请假了" is not asking for leave): a roster or leave-list
   * question is answered here and goes no further.
   */
  const route: IntentRoute = async (turn, understanding, next) => {
    const intent = understanding.intent;
    if (intent !== 'roster.view' && intent !== 'roster.leave') return next(understanding);
    turn.intent = intent;
    turn.session.choices = [];
    await intents[intent](turn);
  };

  const flow = roster.handler({
    async handle(turn, state, input) {
      if (state?.step !== 'pick') return 'pass';
      // "通知ZX-DS-02：后天停课" typed while "which class?" waits is a notice to draft, not the class to list.
      if (input.value === undefined && input.understanding.intent === 'broadcast.send') return 'pass';
      const access = await coordinatorAccess(turn, outreach);
      if (!access) return refuse(turn, outreach, 'roster.flow');
      const code = pickedClass(turn, input);
      if (!code) return 'pass';
      if (code === 'several') {
        const kind = state.data.kind;
        turn.say(
          turn.t(kind === 'leave' ? 'coordinator:leaveList.askClass' : 'coordinator:roster.askClass'),
          turn.session.choices,
        );
        return;
      }
      return answer(turn, access, state.data.kind, code);
    },
  });

  return { route, flows: [flow], intents };
}
