import { LEAVE_LIST_REQUEST, ROSTER_REQUEST } from '../../broadcast/roster-request';
import type { Nlu } from '../handler';
import type { HandledIntent } from '../intent-name';

/** Typed commands and invite codes are recognised exactly, before the statistical classifier is asked. */
const ROUTES: readonly (readonly [RegExp, HandledIntent])[] = [
  [/^\/start\s+[A-Za-z0-9]{4,16}$/, 'coordinator.redeem'],
  [/^(?:邀请码|激活码|invite(?:\s+code)?)\s*[:：]?\s*[A-Za-z0-9]{4,16}$/i, 'coordinator.redeem'],
  // "我是老师，邀请码 AB12CD。", "my invite code is AB12CD": the code at the end of a sentence.
  [
    /(?:邀请码|激活码|invite code)(?:是|为|\s+is)?\s*[:：]?\s*[A-Za-z0-9]{4,16}\s*[。.!！]?$/i,
    'coordinator.redeem',
  ],
  // The command without its code: asked for the code, not "sorry, I did not understand".
  [/^(?:邀请码|激活码|invite(?:\s+code)?)\s*[:：]?$/i, 'coordinator.redeem'],
  [/^\/start$/, 'greeting'],
  // "我不报名了", "不想报了": withdrawing a sign-up, not "show my sign-ups".
  [/^(?:我)?(?:不想|不)(?:报名|报)了(?:吧|啊|哦)?[。.!！]?$/u, 'enrol.cancel'],
  // "在哪报名", "去哪点报名", "哪里可以报名": where to sign up, not "which have I signed up for".
  [
    /^(?:请问)?(?:在|去|到)?(?:哪|哪里|哪儿|哪点|哪块)(?:里|儿)?(?:可以|能|才能)?报名(?:啊|呀|呢)?[?？]?$/u,
    'enrol.start',
  ],
  [/^\/broadcast(?:\s|$)/i, 'broadcast.send'],
  [
    /^(?:\/report\b|投递报告|发送报告|送达报告|通知报告|通知的?(?:发送|送达|投递)情况|(?:delivery|broadcast) report)/i,
    'broadcast.report',
  ],
  // A coordinator's roster and leave list in chat (a trainee's own leave request never matches these).
  [LEAVE_LIST_REQUEST, 'roster.leave'],
  [ROSTER_REQUEST, 'roster.view'],
];

/** The invite code in "/start ABC123" or "邀请码 ABC123", upper-cased. */
export function inviteCodeIn(text: string): string | undefined {
  const rest = text
    .normalize('NFKC')
    .trim()
    .replace(/^(?:\/start|邀请码|激活码|invite(?:\s+code)?)\s*[:：]?\s*/i, '')
    .replace(/\s*[。.!！]$/u, '');
  // "我的邀请码是 AB12CD": the code is the last word; the command word alone has none.
  const m = /(?:^|[\s:：\p{Script=Han}])([A-Za-z0-9]{4,16})$/u.exec(rest);
  return m ? m[1]!.toUpperCase() : undefined;
}

export function withCommandRoutes(nlu: Nlu): Nlu {
  return {
    detectLocale: (text) => nlu.detectLocale(text),
    understand(text) {
      const trimmed = text.normalize('NFKC').trim();
      const route = ROUTES.find(([pattern]) => pattern.test(trimmed));
      const understood = nlu.understand(text);
      return route ? { ...understood, intent: route[1], confidence: 1 } : understood;
    },
  };
}
