import { z } from 'zod';
import { squash } from '../../choices';

/**
 * What a person may name a route by: a route itself, "微信" (the Service Account, or this chat on WeChat),
 * "这里" (the route of the chat they write from), or "默认"/"随便" (no preference).
 */
export const routeWordSchema = z.enum(['chat', 'wechat_oa', 'sms', 'wechat', 'here', 'default']);
export type RouteWord = z.infer<typeof routeWordSchema>;

/** Longest first, so "微信服务号" is not read as "微信". */
const WORDS: ReadonlyArray<[RouteWord, string]> = [
  ['wechat_oa', '微信服务号|微信公众号|服务号|公众号|wechatofficialaccount|officialaccount|wechatoa'],
  ['sms', '手机短信|短信|短讯|sms|textmessages?|texts?'],
  ['wechat', '微信|wechat|weixin'],
  ['here', '这里|这儿|本对话|这个对话|聊天|对话|telegram|网页|here|thischat|chat'],
  ['default', '默认|随便|都行|都可以|无所谓|不指定|不限|default|any|anything|whatever|nopreference'],
];
const WORD = WORDS.map(([, w]) => w).join('|');
/** The routes themselves: "随便通知我" is no request to clear the preference. */
const ROUTE_WORD = WORDS.filter(([word]) => word !== 'default')
  .map(([, w]) => w)
  .join('|');

const wordOf = (found: string): RouteWord | undefined =>
  WORDS.find(([, w]) => new RegExp(`^(${w})$`, 'u').test(found))?.[0];

/** "通知方式", "提醒方式设置", "contact preference": asks what is set and offers the routes. */
const ASK =
  /^(我的)?(设置|修改|更改|改|换|选择|选|查看|查询)?(一下)?(我的)?(通知|提醒|接收)(方式|渠道)(设置|偏好)?$|^(我的)?联系(方式)?偏好$|^(my)?(contact|notification|reminder)(preferences?|method|route|channel|settings?)$|^howdoyou(contact|notify)me$/u;
/**
 * "以后用短信通知我", "短信提醒我", "用微信通知我", "通过服务号发给我": a route named with the request. Not
 * "联系": "请短信联系我" asks for staff to get in touch (a callback, handled as a handoff), not a preference.
 */
const SET_ZH = new RegExp(
  `^(以后|今后|之后|从今以后)?(请|麻烦)?(都|还是)?(用|通过|改用|改成|换成|使用)?(${ROUTE_WORD})(来)?(通知|提醒|发给|发)(我|给我)(吧|就行|就好)?$`,
  'u',
);
/** "通知方式改成短信", "提醒方式：默认". */
const SET_BY_NAME = new RegExp(
  `^(我的)?(通知|提醒)(方式|渠道)(改成|改为|改用|换成|用|选|设为|设置为|设置成|是)?(${WORD})$`,
  'u',
);
/** "恢复默认通知方式", "reset my contact preference". */
const CLEAR =
  /^(恢复|改回|改成|换回|用)(系统)?默认(的)?(通知|提醒)(方式|渠道)$|^(reset|clear)(my)?(contact|notification)preferences?$/u;
/** "notify me by SMS", "remind me on WeChat", "send reminders by text" (not "contact me…": a callback request). */
const SET_EN = new RegExp(
  `^(please)?(notify|remind|message|text)me(by|via|on|through|over|in)?(${ROUTE_WORD})(please)?$|^(please)?send(me)?(the)?(reminders|notices|notifications|messages)(to)?(by|via|on|through|over)(${ROUTE_WORD})$`,
  'u',
);

/** "notify me by 📱": a route the words do not name (an emoji, squashed away) — the choices are shown. */
const ASK_EN_UNNAMED = /^(please)?(notify|remind|message|text)me(by|via|on|through|over|in)$/u;
const MAX_REQUEST = 40;

/**
 * A request about the contact preference: `word` undefined asks for the choices. A long message is read by its
 * first sentence ("通知方式。" then a long story); otherwise it is no such request and goes on as any message.
 */
export function routeRequest(text: string): { word?: RouteWord } | undefined {
  const whole = squash(text);
  if (whole.length <= MAX_REQUEST) return requestIn(whole);
  const first = squash(text.trim().split(/[\n。！？!?；;]/u)[0] ?? '');
  return first.length <= MAX_REQUEST ? requestIn(first) : undefined;
}

function requestIn(words: string): { word?: RouteWord } | undefined {
  if (!words) return undefined;
  if (ASK.test(words) || ASK_EN_UNNAMED.test(words)) return {};
  if (CLEAR.test(words)) return { word: 'default' };
  for (const re of [SET_ZH, SET_BY_NAME, SET_EN]) {
    const found = re.exec(words);
    if (!found) continue;
    const named = found.slice(1).find((g) => g !== undefined && wordOf(g) !== undefined);
    const word = named ? wordOf(named) : undefined;
    if (word) return { word };
  }
  return undefined;
}

/** A route typed as the answer to the choice ("短信", "用短信", "随便吧", "sms"). */
export function routeWordIn(text: string): RouteWord | undefined {
  const found = new RegExp(`^(用|选|选择|改成|就用|就|use)?(${WORD})(吧|就行|就好|please)?$`, 'u').exec(
    squash(text),
  );
  return found?.[2] ? wordOf(found[2]) : undefined;
}
