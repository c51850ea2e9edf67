import type {
  CheckinOutcome,
  CheckinSessionRef,
  CheckinWho,
  ShowCodeOutcome,
} from '../../../attendance/checkin-port';
import type { Locale } from '../../../domain';
import { formatSessionTime } from '../../format-time';
import type { Turn } from '../../turn';

const clocks = new Map<string, Intl.DateTimeFormat>();

/** "08:30" in the programme's time zone. */
export function clockTime(date: Date, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let f = clocks.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(key, f);
  }
  return f.format(date);
}

export function sessionParams(turn: Turn, s: CheckinSessionRef, timeZone: string) {
  return {
    code: s.courseCode,
    title: s.title[turn.locale],
    n: s.number,
    when: formatSessionTime(s.startsAt, turn.locale, timeZone),
  };
}

/** "您" / "您女儿王小红"; in a group chat no name is ever said. */
export function whoLabel(turn: Turn, who: CheckinWho): string {
  if (who.self) return turn.t('attendance:who.self');
  const rel = turn.t(`enrol:family.relation.${who.relation ?? 'other'}`);
  if (turn.msg.isGroup || !who.name) return rel;
  return turn.t('enrol:family.who', { rel, name: who.name });
}

/** The reply to a check-in that did not need a choice. */
export function checkinReply(
  turn: Turn,
  outcome: Exclude<CheckinOutcome, { status: 'choose' }>,
  timeZone: string,
  stepMinutes: number,
): string {
  const { t, locale } = turn;
  const time = (d: Date) => clockTime(d, locale, timeZone);
  switch (outcome.status) {
    case 'checked_in': {
      const params = {
        ...sessionParams(turn, outcome.session, timeZone),
        who: outcome.who.map((w) => whoLabel(turn, w)).join(t('attendance:who.and')),
      };
      const onlySelf = outcome.who.length === 1 && outcome.who[0]!.self;
      const line = t(onlySelf ? 'attendance:checkedIn' : 'attendance:checkedInFor', params);
      return outcome.late ? `${line}\n${t('attendance:late')}` : line;
    }
    case 'already':
      return t(outcome.who.self ? 'attendance:already' : 'attendance:alreadyFor', {
        ...sessionParams(turn, outcome.session, timeZone),
        who: whoLabel(turn, outcome.who),
        time: time(outcome.at),
        mark: t(outcome.late ? 'attendance:mark.late' : 'attendance:mark.present'),
      });
    case 'wrong_code':
      return t('attendance:wrongCode');
    case 'expired':
      return t('attendance:expired', {
        ...sessionParams(turn, outcome.session, timeZone),
        minutes: stepMinutes,
      });
    case 'not_enrolled':
      return outcome.session
        ? t('attendance:notEnrolledIn', sessionParams(turn, outcome.session, timeZone))
        : t('attendance:notEnrolled');
    case 'outside_window': {
      if (!outcome.session) return t('attendance:noneNow');
      const params = {
        ...sessionParams(turn, outcome.session, timeZone),
        opens: time(outcome.opensAt!),
        closes: time(outcome.closesAt!),
      };
      if (outcome.state === 'before') return t('attendance:notYet', params);
      if (outcome.state === 'closed') return t('attendance:closed', params);
      return t('attendance:noneOpen', params);
    }
  }
}

/** A coordinator's "签到码 ZX-DS-01". */
export function showCodeReply(
  turn: Turn,
  outcome: ShowCodeOutcome,
  timeZone: string,
  stepMinutes: number,
): string {
  const { t, locale } = turn;
  const time = (d: Date) => clockTime(d, locale, timeZone);
  switch (outcome.status) {
    case 'not_coordinator':
      return t('common:notCoordinator');
    case 'no_course':
      return outcome.courseCode
        ? t('attendance:show.unknownCourse', { code: outcome.courseCode })
        : t('attendance:show.whichCourse');
    case 'no_session':
      return t('attendance:show.noSession', { code: outcome.courseCode });
    case 'ok': {
      const params = {
        ...sessionParams(turn, outcome.session, timeZone),
        opens: time(outcome.opensAt),
        closes: time(outcome.closesAt),
      };
      const lines = outcome.code
        ? [
            t('attendance:show.open', {
              ...params,
              checkin: outcome.code,
              valid: time(outcome.validUntil!),
              minutes: stepMinutes,
            }),
          ]
        : [t('attendance:show.notOpen', params)];
      if (outcome.link) lines.push(t('attendance:show.link', { link: outcome.link }));
      if (outcome.page) lines.push(t('attendance:show.page', { page: outcome.page }));
      return lines.join('\n');
    }
  }
}
