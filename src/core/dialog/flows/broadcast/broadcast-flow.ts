import { z } from 'zod';
import {
  type BroadcastTarget,
  matchTargets,
  parseBroadcastRequest,
} from '../../../broadcast/broadcast-request';
import type { BroadcastPreview, CoordinatorAccess } from '../../../outreach-ports';
import { describeSpread } from '../../describe-spread';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import type { IntentRoute } from '../../handler';
import { coordinatorAccess, type OutreachDialogServices, refuse } from '../../outreach-services';
import type { Turn } from '../../turn';
import { pickedClass } from './picked-class';

const broadcast = defineFlow({
  name: 'broadcast',
  version: 1,
  steps: {
    /** Which class: the notice's text, if it came with the request, waits here. */
    pick: z.object({ body: z.string() }),
    /** The class is known; the text is asked for. */
    text: z.object({ code: z.string() }),
    /** A draft is shown with its recipients; "send" sends it. */
    confirm: z.object({ broadcastId: z.string(), code: z.string(), title: z.string() }),
  },
});
const MAX_CHOICES = 9;

/** "12 小时" or "90 分钟": when the follow-up of a notice asking for confirmation goes. */
const afterTime = (turn: Turn, minutes: number) =>
  minutes % 60 === 0
    ? turn.t('preferences:ack.hours', { count: minutes / 60 })
    : turn.t('preferences:ack.minutes', { count: minutes });
const YES = /^(发送|发|确定|确认|是|好|可以|send|yes|y|ok)$/i;
const NO = /^(不发了|不发|不要|否|no|n|don'?t send)$/i;

/** A command word opening a notice request: "通知", "群发", "发通知", "给电商班发通知", "broadcast", "send notice". */
const COMMAND_LEAD =
  /^(?:(?:请|麻烦|麻烦您|您|帮我|帮忙|给我|再)\s*)*(?:群发|发布通知|发个?通知|发条通知|通知|广播|公告|broadcast|notify|announcement|send (?:a |the )?(?:notice|message|announcement))|^(?:请|帮我)?给.{1,15}?(?:群发|发个?通知|发条通知|发消息|通知)/i;
/** Who it is for, near the start: "电商班", "全体学员", "all trainees". */
const CLASS_WORD =
  /^[^\n]{0,30}?(?:班|学员|学生|的人|所有人|全体|大家|class|course|students|trainees|everyone)/i;
/** "群发：…": the words after a colon right behind the command are the notice. */
const COLON_NEAR = /^[^\n]{0,12}[:：]/;
/** "通知方式", "提醒方式": the contact preference, never a notice (flows/contact-route). */
const NOT_A_NOTICE = /^(?:通知|提醒)(?:方式|渠道)/;

/**
 * Whether the words are a notice request as a command ("/broadcast …", "通知 ZX-DS-01：…", "通知电商班 周日不上课",
 * "群发：…"), not a sentence that merely contains 通知 ("通知方式" and a long story): only the former is refused to
 * someone who is not a coordinator; the latter is an ordinary message for them.
 */
export function isBroadcastCommand(text: string): boolean {
  const typed = text.trim();
  if (typed.startsWith('/')) return true;
  const request = parseBroadcastRequest(typed);
  if (!request.body) return false;
  if (request.code) return true;
  if (NOT_A_NOTICE.test(typed) || !COMMAND_LEAD.test(typed)) return false;
  return CLASS_WORD.test(typed) || COLON_NEAR.test(typed);
}

/**
 * The classifier reads many sentences with 通知 in them as a notice request. For someone who is not a
 * coordinator, only a command (isBroadcastCommand) goes on to the refusal; anything else is answered as an
 * ordinary message (intent `unknown`). Registered early (src/app/dialog-wiring.ts), before the routes that
 * leave a notice request alone. Coordinators are not affected.
 */
export function broadcastWordsRoute(outreach: OutreachDialogServices): IntentRoute {
  return async (turn, understanding, next) => {
    if (understanding.intent !== 'broadcast.send' || isBroadcastCommand(turn.text))
      return next(understanding);
    if (await coordinatorAccess(turn, outreach)) return next(understanding);
    return next({ ...understanding, intent: 'unknown' });
  };
}

/**
 * A coordinator's notice to one class: find the class (asking when several fit), get the text, show a preview
 * with the recipient count, and send only after "send". Everyone else gets the same refusal whatever they ask.
 */
export function broadcastModule(outreach: OutreachDialogServices): DialogModule {
  const choice = broadcast.choice;

  function askClass(turn: Turn, classes: BroadcastTarget[], body: string, intro?: string): void {
    broadcast.start(turn, 'pick', { body });
    const text = intro
      ? `${intro}\n${turn.t('coordinator:broadcast.askClass')}`
      : turn.t('coordinator:broadcast.askClass');
    turn.say(
      text,
      classes
        .slice(0, MAX_CHOICES)
        .map((c) => choice(`${c.code} ${c.title[turn.locale]}`, `class:${c.code}`)),
    );
  }

  async function proceed(turn: Turn, access: CoordinatorAccess, code: string, body: string): Promise<void> {
    if (!body.trim()) {
      const target = (await outreach.coordination.targets(access, turn.now)).find((c) => c.code === code);
      broadcast.start(turn, 'text', { code });
      turn.say(turn.t('coordinator:broadcast.askText', { code, title: target?.title[turn.locale] ?? '' }));
      return;
    }
    const outcome = await outreach.coordination.draft(turn.person.id, access, code, body, turn.now);
    switch (outcome.status) {
      case 'empty':
        broadcast.start(turn, 'text', { code });
        turn.say(turn.t('coordinator:broadcast.empty'));
        return;
      case 'too_long':
        broadcast.start(turn, 'text', { code });
        turn.say(turn.t('coordinator:broadcast.tooLong', { length: outcome.length, limit: outcome.limit }));
        return;
      case 'not_found':
        turn.endFlow();
        turn.say(turn.t('coordinator:broadcast.noClass', { target: code }));
        return;
      case 'ok':
        return preview(turn, outcome.preview);
    }
  }

  async function preview(turn: Turn, p: BroadcastPreview): Promise<void> {
    const title = p.course.title[turn.locale];
    if (p.confirmed + p.waitlisted + p.groups === 0) {
      await outreach.coordination.discard(turn.person.id, p.broadcastId);
      turn.endFlow();
      turn.say(turn.t('coordinator:broadcast.nobody', { code: p.course.code, title }));
      return;
    }
    const lines = [
      turn.t('coordinator:broadcast.preview', {
        code: p.course.code,
        title,
        text: p.text,
        count: p.confirmed,
      }),
    ];
    if (p.waitlisted) lines.push(turn.t('coordinator:broadcast.previewWaitlisted', { count: p.waitlisted }));
    if (p.unreachable)
      lines.push(turn.t('coordinator:broadcast.previewUnreachable', { count: p.unreachable }));
    if (p.groups) lines.push(turn.t('coordinator:broadcast.previewGroups', { count: p.groups }));
    const options = [choice(turn.t('coordinator:broadcast.send'), 'send')];
    if (p.waitlisted)
      options.push(choice(turn.t('coordinator:broadcast.sendAll', { count: p.waitlisted }), 'send_all'));
    options.push(choice(turn.t('coordinator:broadcast.edit'), 'edit'));
    options.push(choice(turn.t('coordinator:broadcast.cancel'), 'no'));
    // Issue 19: the same notice, asking each recipient to confirm ("收到"), with one follow-up to who does not.
    if (outreach.ackFollowUpMinutes) options.push(choice(turn.t('preferences:ack.sendAsk'), 'send_ack'));
    broadcast.start(turn, 'confirm', { broadcastId: p.broadcastId, code: p.course.code, title });
    turn.say(lines.join('\n'), options);
  }

  async function confirm(
    turn: Turn,
    broadcastId: string,
    includeWaitlisted: boolean,
    askAck = false,
  ): Promise<void> {
    turn.endFlow();
    const outcome = await outreach.coordination.confirm(turn.person.id, broadcastId, includeWaitlisted, {
      askAck,
    });
    if (outcome.status === 'gone') {
      turn.say(turn.t('coordinator:broadcast.gone'));
      return;
    }
    if (outcome.deferred) {
      // Saved in the database, not queued yet: say so, never "sending".
      turn.say(turn.t('coordinator:broadcast.saved', { count: outcome.recipients + outcome.groups }));
      return;
    }
    turn.emit({
      type: 'broadcast_sent',
      course: outcome.course,
      recipients: outcome.recipients,
      groups: outcome.groups,
    });
    const lines = [
      outcome.groups
        ? turn.t('coordinator:broadcast.sendingGroups', { count: outcome.recipients, groups: outcome.groups })
        : turn.t('coordinator:broadcast.sending', { count: outcome.recipients }),
    ];
    lines.push(...describeSpread(turn, outcome.spread, outreach.timezone, 'coordinator:broadcast.spread'));
    if (askAck && outreach.ackFollowUpMinutes)
      lines.push(turn.t('preferences:ack.asked', { after: afterTime(turn, outreach.ackFollowUpMinutes) }));
    turn.say(lines.join('\n'));
  }

  const intent = async (turn: Turn): Promise<void> => {
    const access = await coordinatorAccess(turn, outreach);
    if (!access) return refuse(turn, outreach, 'broadcast.send');
    const request = parseBroadcastRequest(turn.text);
    const scope = await outreach.coordination.targets(access, turn.now);
    if (!scope.length) {
      turn.say(turn.t('coordinator:broadcast.noClasses'));
      return;
    }
    const slots = outreach.slotsOf(request.target);
    const matches = matchTargets(scope, {
      ...request,
      trades: slots.trades ?? [],
      county: slots.county,
    });
    if (matches.length === 1) return proceed(turn, access, matches[0]!.code, request.body);
    if (!matches.length) {
      await outreach.coordination.audit(turn.person.id, 'broadcast.no_class', request.target);
      return askClass(
        turn,
        scope,
        request.body,
        turn.t('coordinator:broadcast.noClass', { target: request.target }),
      );
    }
    askClass(turn, matches, request.body);
  };

  const flow = broadcast.handler({
    async handle(turn, state, input) {
      const access = await coordinatorAccess(turn, outreach);
      if (!access) return refuse(turn, outreach, 'broadcast.flow');
      if (state?.step === 'pick') {
        const code = pickedClass(turn, input);
        if (!code) return 'pass';
        if (code === 'several') {
          turn.say(turn.t('coordinator:broadcast.askClass'), turn.session.choices);
          return;
        }
        return proceed(turn, access, code, state.data.body);
      }
      if (state?.step === 'text') return proceed(turn, access, state.data.code, input.text);
      if (state?.step !== 'confirm') return 'pass';
      const { broadcastId, code, title } = state.data;
      const text = input.text.trim();
      if (input.value === 'send' || (!input.value && YES.test(text)))
        return confirm(turn, broadcastId, false);
      if (input.value === 'send_all') return confirm(turn, broadcastId, true);
      if (input.value === 'send_ack') return confirm(turn, broadcastId, false, true);
      if (input.value === 'edit') {
        await outreach.coordination.discard(turn.person.id, broadcastId);
        broadcast.start(turn, 'text', { code });
        turn.say(turn.t('coordinator:broadcast.askText', { code, title }));
        return;
      }
      if (input.value === 'no' || NO.test(text)) {
        await outreach.coordination.discard(turn.person.id, broadcastId);
        turn.endFlow();
        turn.say(turn.t('coordinator:broadcast.discarded'));
        return;
      }
      return 'pass';
    },
    onCancel(turn) {
      turn.say(turn.t('coordinator:broadcast.discarded'));
    },
  });

  return { flows: [flow], intents: { 'broadcast.send': intent } };
}
