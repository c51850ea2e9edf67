import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Locale } from '../../../domain';
import { findCourseCode } from '../../course-code';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import { formatSessionTime } from '../../format-time';
import type { TurnGate } from '../../handler';
import { coordinatorAccess, type OutreachDialogServices, refuse } from '../../outreach-services';
import type { Turn } from '../../turn';
import type { ChatSessionEdit, ScheduleChangePort } from './schedule-port';

/** "/改课 LD-YH-01 12-20 09:00 301教室", "/停课 LD-YH-01 12-18", and the English "/reschedule", "/cancelclass". */
const MOVE = /^\/(改课|调课|reschedule)(\s|$)/i;
const CANCEL = /^\/(停课|cancelclass)(\s|$)/i;
/** The same commands typed without the slash ("改课 LD-YH-01 …"): only with a course code, so a question is not one. */
const BARE = /^(改课|调课|停课)\s/u;
const DATE = /(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})|(\d{1,2})月(\d{1,2})[日号]?/u;
/** "09:00", "9点", "上午9点半", "下午2点30", "晚上7点": the hour and minute, afternoon words moving the hour on. */
const TIME = /(上午|早上|早晨|中午|下午|晚上)?\s*(\d{1,2})(?:[:：](\d{2})|[点時时](?:(\d{1,2})分?|(半))?)/u;

function timeIn(text: string): { hour: number; minute: number; text: string } | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  let hour = Number(m[2]);
  const minute = m[5] ? 30 : Number(m[3] ?? m[4] ?? 0);
  if ((m[1] === '下午' || m[1] === '晚上') && hour < 12) hour += 12;
  if (m[1] === '中午' && hour < 11) hour += 12;
  return { hour, minute, text: m[0] };
}

const change = defineFlow({
  name: 'schedule-change',
  version: 1,
  steps: {
    confirm: z.object({
      code: z.string().max(20),
      sessionId: z.string().max(40),
      kind: z.enum(['move', 'cancel']),
      startsAt: z.string().optional(),
      endsAt: z.string().optional(),
      venue: z.string().max(200).optional(),
    }),
  },
});

/** The local date a text names ("12-20", "2026-12-20", "12月20日"), as yyyy-MM-dd; the coming one without a year. */
function dateIn(text: string, now: Date, zone: string): { iso: string; rest: string } | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const month = Number(m[2] ?? m[4]);
  const day = Number(m[3] ?? m[5]);
  let date = DateTime.fromObject({ year: Number(m[1] ?? today.year), month, day }, { zone });
  if (!date.isValid) return undefined;
  if (!m[1] && date < today.minus({ days: 1 })) date = date.plus({ years: 1 });
  return { iso: date.toISODate()!, rest: text.replace(m[0], ' ') };
}

/**
 * Issue 19, item 6, in the chat: a coordinator moves a class ("/改课 <课程> [原日期 到] <新日期> <时间> [地点]")
 * or cancels one ("/停课 <课程> [日期]"); a preview says who will be told and what they get, and only "确认"
 * changes it, re-plans the reminders and tells them (services/schedule-change-service.ts).
 */
export function scheduleCommandModule(
  outreach: OutreachDialogServices,
  port: ScheduleChangePort,
): DialogModule {
  const zone = outreach.timezone;
  const when = (d: Date, locale: Locale) => formatSessionTime(d, locale, zone);

  // A gate, not a route: a typed command is read before any flow or answer could take its words.
  const gate: TurnGate = async (turn) => {
    let text = turn.text.normalize('NFKC').trim();
    if (BARE.test(text) && findCourseCode(text)) text = `/${text}`;
    if (turn.msg.isGroup || (!MOVE.test(text) && !CANCEL.test(text))) return false;
    turn.intent = 'flow.schedule-change';
    turn.endFlow();
    await command(turn, text);
    return true;
  };

  async function command(turn: Turn, text: string): Promise<void> {
    const access = await coordinatorAccess(turn, outreach);
    if (!access) return refuse(turn, outreach, 'schedule.change');
    const code = findCourseCode(text);
    const cancel = CANCEL.test(text);
    if (!code) {
      turn.say(turn.t(cancel ? 'schedule:chat.usageCancel' : 'schedule:chat.usageMove'));
      return;
    }
    let rest = text.replace(/^\/\S+\s*/, '').replace(new RegExp(code.replace(/-/g, '[-－_ ]?'), 'i'), ' ');
    // "原日期 到 新日期": the class of the first date; else the next coming class.
    let onDate: string | undefined;
    const arrow = /\s(到|->|→|to)\s/i.exec(rest);
    if (cancel || arrow) {
      const first = dateIn(cancel ? rest : rest.slice(0, arrow!.index), turn.now, zone);
      onDate = first?.iso;
      if (arrow) rest = rest.slice(arrow.index + arrow[0].length);
    }
    const session = await port.findSession(access, code, turn.now, onDate);
    if (!session) {
      turn.say(turn.t('schedule:chat.noSession', { code }));
      return;
    }
    let edit: ChatSessionEdit = { kind: 'cancel' };
    if (!cancel) {
      const date = dateIn(rest, turn.now, zone);
      const time = timeIn(date?.rest ?? '');
      if (!date || !time) {
        turn.say(turn.t('schedule:chat.usageMove'));
        return;
      }
      const startsAt = DateTime.fromISO(date.iso, { zone }).set({ hour: time.hour, minute: time.minute });
      if (!startsAt.isValid || startsAt.toJSDate() <= turn.now) {
        turn.say(turn.t('schedule:chat.badTime'));
        return;
      }
      const venue = date.rest.replace(time.text, ' ').trim().slice(0, 200) || undefined;
      const start = startsAt.toJSDate();
      edit = {
        kind: 'move',
        startsAt: start,
        endsAt: new Date(start.getTime() + (session.endsAt.getTime() - session.startsAt.getTime())),
        venue,
      };
    }
    const p = await port.preview(access, code, session.id, edit, turn.locale);
    if (!p) {
      turn.say(turn.t('schedule:chat.noSession', { code }));
      return;
    }
    const lines = [
      turn.t(edit.kind === 'move' ? 'schedule:chat.previewMove' : 'schedule:chat.previewCancel', {
        code,
        old: `${when(session.startsAt, turn.locale)} ${session.venue}`,
        new: p.after ? `${when(p.after.startsAt, turn.locale)} ${p.after.venue}` : '',
      }),
      edit.kind === 'move'
        ? turn.t('schedule:console.notifyMove', { confirmed: p.confirmed })
        : turn.t('schedule:console.notifyCancel', { confirmed: p.confirmed, waitlisted: p.waitlisted }),
      turn.t('schedule:console.message'),
      p.sample,
    ];
    change.start(turn, 'confirm', {
      code,
      sessionId: session.id,
      kind: edit.kind,
      ...(edit.kind === 'move'
        ? { startsAt: edit.startsAt.toISOString(), endsAt: edit.endsAt.toISOString(), venue: edit.venue }
        : {}),
    });
    turn.say(lines.join('\n'), [
      change.choice(turn.t('schedule:chat.confirm'), 'yes'),
      change.choice(turn.t('schedule:chat.keep'), 'no'),
    ]);
  }

  const flow = change.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      const answer = input.value ?? '';
      if (answer === 'no') {
        turn.endFlow();
        turn.say(turn.t('schedule:chat.kept'));
        return;
      }
      if (answer !== 'yes') return 'pass';
      turn.endFlow();
      const access = await coordinatorAccess(turn, outreach);
      if (!access) return refuse(turn, outreach, 'schedule.change');
      const d = state.data;
      const edit: ChatSessionEdit =
        d.kind === 'move' && d.startsAt && d.endsAt
          ? { kind: 'move', startsAt: new Date(d.startsAt), endsAt: new Date(d.endsAt), venue: d.venue }
          : { kind: 'cancel' };
      const outcome = await port.applySession(access, turn.person.id, d.code, d.sessionId, edit, 'chat');
      if (outcome.status !== 'ok') {
        turn.say(turn.t('schedule:console.unchanged'));
        return;
      }
      const lines = [turn.t('schedule:console.done', { notified: outcome.notified })];
      if (outcome.unreachable)
        lines.push(turn.t('schedule:console.doneUnreachable', { count: outcome.unreachable }));
      turn.say(lines.join('\n'));
    },
    onCancel(turn: Turn) {
      turn.say(turn.t('schedule:chat.kept'));
    },
  });

  return { gate, flows: [flow] };
}
