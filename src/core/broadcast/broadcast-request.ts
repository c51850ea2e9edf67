import { findCourseCode } from '../dialog/course-code';
import type { County, Trade } from '../domain';
import type { LocalizedText } from '../ports';

/** What a coordinator's notice request says: which class (in their words, or a code) and the notice itself. */
export interface BroadcastRequest {
  code?: string;
  /** The words naming the class ("电商班", "the welding class"); empty when none were given. */
  target: string;
  /** The notice to send; empty when the coordinator has not said it yet. */
  body: string;
  /** "所有学员", "all students": no single class named. */
  everyone: boolean;
}

const LEAD =
  /^(?:(?:请|麻烦|麻烦您|您|帮我|帮忙|给我|再)\s*)*(?:\/broadcast|群发消息|群发通知|群发一下|群发|发布通知|发个?通知|发条通知|发个?消息|发给|通知一下|通知|广播|公告|告诉)?[\s,，、]*(?:给|向|到)?\s*/i;
const EN_LEAD =
  /^(?:please\s+)?(?:\/broadcast|broadcast|announcement|notice|notify|send(?: a)?(?: notice| message)?|message|tell)?\s*(?:to|for)?\s*/i;
const CLASS_ZH =
  /^(.*?(?:班|学员|学生|的人|所有人|全体|大家))(?:的学员|的学生|的人|学员|的)?(?:群发一下|群发|发个?通知|发个?消息|发)?(?:一下)?[\s,，;；]*(.*)$/s;
const CLASS_EN =
  /^(.*?\b(?:class|classes|course|students|trainees|everyone|group))\b\s*(?:that\s+|[-–:,]\s*)?(.*)$/is;
const EVERYONE = /所有|全体|全部学员|大家|\ball\b|everyone|every student/i;

/**
 * Full-width ASCII forms and the ideographic space folded to ASCII, one UTF-16 unit for one: the request is
 * read on this copy, and the notice is cut from the text as typed at the same place, so it goes out exactly as
 * written (full-width punctuation and digits, inner spaces and line breaks untouched).
 */
function fold(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/**
 * Splits "通知电商班:明天上午9点改到201教室" / "/broadcast ZX-DS-01 …" / "tell the chef class that …". The
 * command words and the class are stripped; the body is the rest of the text exactly as typed (only the
 * spaces around it are dropped).
 */
export function parseBroadcastRequest(input: string): BroadcastRequest {
  const typed = input.trim();
  const read = readRequest(fold(typed));
  // The body is always the tail of the text: the same tail of what was typed.
  const body = read.body ? typed.slice(typed.length - read.body.length) : '';
  return { ...read, body };
}

function readRequest(text: string): BroadcastRequest {
  const command = /^\/broadcast\b\s*(.*)$/is.exec(text);
  if (command) {
    const rest = command[1]!.trim();
    const code = findCourseCode(rest.split(/\s/)[0] ?? '');
    const body = code ? rest.replace(/^\S+\s*/, '') : rest;
    return { code, target: code ?? '', body: body.trim(), everyone: false };
  }
  // The first colon, unless it is a time of day ("明天9:00上课"): then it belongs to the notice.
  const colon = /^([^:\n]{0,40})[:]\s*([\s\S]*)$/.exec(text.replace(/：/g, ':'));
  if (colon && !(/\d$/.test(colon[1]!) && /^\d/.test(colon[2]!))) {
    const head = stripLead(colon[1]!);
    const rest = text.slice(text.length - colon[2]!.length).trim();
    if (head) return finish(head, rest);
    // "群发:电工班周六补课": the class may open the notice itself (Chinese only; English notices rarely do).
    return HAN.test(rest) ? splitTarget(rest) : finish('', rest);
  }
  return splitTarget(stripLead(text));
}

const HAN = /\p{Script=Han}/u;

function stripLead(text: string): string {
  return HAN.test(text) ? text.replace(LEAD, '').trim() : text.replace(EN_LEAD, '').trim();
}

function splitTarget(text: string): BroadcastRequest {
  const rest = stripLead(text);
  const m = HAN.test(rest.slice(0, 12)) ? CLASS_ZH.exec(rest) : CLASS_EN.exec(rest);
  if (m && m[1]!.length <= 30) return finish(m[1]!, m[2]!.trim());
  return finish('', rest);
}

function finish(target: string, body: string): BroadcastRequest {
  const cleaned = target
    .replace(/^(?:the|to|for)\s+/i, '')
    .replace(/(?:群发一下|群发|发个?通知|发条通知|发个?消息|发)$/, '')
    .replace(/(?:的学员|的学生|的人|学员|学生|的)$/, '')
    .trim();
  return {
    code: findCourseCode(cleaned),
    target: cleaned,
    body: body.trim(),
    everyone: EVERYONE.test(cleaned) && !findCourseCode(cleaned),
  };
}

/** A class a coordinator may send to. */
export interface BroadcastTarget {
  code: string;
  title: LocalizedText;
  trade: Trade;
  county: County;
}

export interface TargetQuery {
  code?: string;
  target: string;
  everyone: boolean;
  trades: readonly Trade[];
  county?: County;
}

/**
 * The classes in `scope` the request may mean: the code if given; otherwise those of the trade(s) named
 * (narrowed by county when one is named), or whose title contains the words; everything for "all students".
 * Several results mean "ask which"; none means "not one of yours" (the same answer whether the class exists
 * elsewhere or not, so nothing is revealed).
 */
export function matchTargets(scope: readonly BroadcastTarget[], query: TargetQuery): BroadcastTarget[] {
  if (query.code) return scope.filter((c) => c.code === query.code);
  if (query.everyone || !query.target) return [...scope];
  let found = query.trades.length ? scope.filter((c) => query.trades.includes(c.trade)) : [];
  if (!found.length) {
    const words = query.target
      .toLowerCase()
      .replace(/班$|\bclass(es)?\b|\bcourse\b/g, '')
      .trim();
    found = words
      ? scope.filter(
          (c) => c.title['zh-CN'].toLowerCase().includes(words) || c.title.en.toLowerCase().includes(words),
        )
      : [];
  }
  if (query.county && found.length > 1) {
    const inCounty = found.filter((c) => c.county === query.county);
    if (inCounty.length) found = inCounty;
  }
  return found;
}
