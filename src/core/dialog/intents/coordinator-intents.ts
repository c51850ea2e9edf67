import { undeliveredLines } from '../../broadcast/undelivered-lines';
import type { CoordinatorAccess } from '../../outreach-ports';
import { findCourseCode } from '../course-code';
import { describeSpread } from '../describe-spread';
import { ackReportLines } from '../flows/opt-out/ack-report-lines';
import { formatSessionTime } from '../format-time';
import type { IntentTable } from '../handler';
import { coordinatorAccess, type OutreachDialogServices, refuse } from '../outreach-services';
import type { DialogServices } from '../services';
import type { Turn } from '../turn';
import { inviteCodeIn } from './command-routes';

/** Redeeming an invite code ("/start ABC123", "邀请码 ABC123") and the delivery report of a notice. */
export function coordinatorIntents(services: DialogServices, outreach: OutreachDialogServices): IntentTable {
  return {
    async 'coordinator.redeem'(turn) {
      const code = inviteCodeIn(turn.text);
      if (!code) {
        turn.say(turn.t('coordinator:redeem.missing'));
        return;
      }
      const outcome = await outreach.coordination.redeemInvite(turn.person.id, code, turn.now);
      if (outcome.status === 'invalid') {
        turn.say(turn.t('coordinator:redeem.invalid'));
        return;
      }
      turn.say(turn.t('coordinator:redeem.ok', { scope: describeScope(turn, outcome.access) }));
    },

    async 'broadcast.report'(turn) {
      const access = await coordinatorAccess(turn, outreach);
      if (!access) return refuse(turn, outreach, 'broadcast.report');
      const report = await outreach.coordination.report(turn.person.id, access, findCourseCode(turn.text));
      if (!report) {
        turn.say(turn.t('coordinator:report.none'));
        return;
      }
      const failed = report.failed.reduce((n, f) => n + f.count, 0);
      const lines = [
        turn.t('coordinator:report.summary', {
          code: report.course.code,
          title: report.course.title[turn.locale],
          when: formatSessionTime(report.createdAt, turn.locale, services.timezone),
          text: report.text.length > 60 ? `${report.text.slice(0, 60)}…` : report.text,
          recipients: report.recipients,
          sent: report.sent,
          pending: report.pending,
          failed,
        }),
        ...report.failed.map((f) =>
          turn.t('coordinator:report.failedLine', {
            reason: turn.t(`coordinator:report.reason.${f.reason}`, {
              defaultValue: turn.t('coordinator:report.reason.other'),
            }),
            count: f.count,
          }),
        ),
        // Who, by name (masked), and why: "1 人联系不上" alone does not help the coordinator phone them.
        ...undeliveredLines(turn.t, report.undelivered, report.undeliveredTotal),
        // Issue 19: who confirmed, who has not yet, by name (a notice that asked for "收到").
        ...(report.acks ? ackReportLines(turn.t, report.acks) : []),
        ...describeSpread(turn, report.spread, services.timezone, 'coordinator:report.spread'),
      ];
      turn.say(lines.join('\n'));
    },
  };
}

export function describeScope(turn: Turn, access: CoordinatorAccess): string {
  if (access.role === 'admin') return turn.t('coordinator:scope.all');
  const codes = access.courseCodes.join(', ');
  const counties = access.counties.map((c) => turn.t(`domain:county.${c}`)).join('、');
  if (codes && counties) return turn.t('coordinator:scope.both', { codes, counties });
  return counties
    ? turn.t('coordinator:scope.counties', { counties })
    : turn.t('coordinator:scope.courses', { codes });
}
