import { INTENTS } from '../nlu/intents';

/**
 * Every intent a handler answers: what the classifier recognises (data/nlu/intents.json) plus what typed
 * commands, menus and pressed choices lead to.
 */
export const HANDLED_INTENTS = [
  ...INTENTS,
  'policy.menu',
  'profile.reset',
  'choice.course',
  'choice.clause',
  'coordinator.redeem',
  'broadcast.report',
  'roster.view',
  'roster.leave',
  'course.fact',
  'chat.ack',
  'profile.view',
  'profile.correct',
  'class.question',
  'leave.request',
  'schedule.mine',
  'attendance.checkin',
  'attendance.code',
  /** "绑定账号": link this chat to the record signed up with elsewhere (flows/link-account). */
  'account.link',
  'certificates.mine',
  'subsidy.status',
] as const;
export type HandledIntent = (typeof HANDLED_INTENTS)[number];

/** What a turn can end as without an intent handler: the engine's own answers. */
export const ENGINE_OUTCOMES = [
  'duplicate',
  'media',
  'empty',
  'error',
  'flow.cancel',
  'choice.invalid',
] as const;
export type EngineOutcome = (typeof ENGINE_OUTCOMES)[number];

/** The intent a turn is reported and measured as: a handled intent, an engine outcome, or `flow.<name>`. */
export type IntentName = HandledIntent | EngineOutcome | `flow.${string}`;
