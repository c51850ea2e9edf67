import { citationLine } from '../../policy/policy-answer';
import type { PolicyKnowledge } from '../../policy/policy-index';
import type { Turn } from '../turn';

/**
 * "这个方案是哪年发的", "When was the plan issued?": the plan's own issue date and issuer, from the document record
 * (the clause text never states them), cited to the preamble.
 */
const ISSUED_ZH =
  /(方案|文件|政策|制度).{0,8}(哪年|哪一年|什么时候|啥时候|几时|何时|哪天|什么时间|啥时间)(发|出|印发|出台|制定|定|颁布|公布|整出来|搞出来)|(哪年|哪一年|什么时候|啥时候|何时)(发|出|印发|出台|制定|颁布|公布)的.{0,4}(方案|文件|政策)|(印发|出台|发布|颁布)(时间|日期)/;
const ISSUED_EN =
  /\bwhen (was|were|did) (the|this|that) (plan|policy|document)\b.{0,20}\b(issued|published|released|made|adopted|come out|announced|written)\b|\bwhat year\b.{0,30}\b(plan|policy|document)\b|\b(plan|policy|document)'?s? (issue|publication|release) date\b/i;

/**
 * "这个方案是讲什么的", "方案主要内容是啥", "What is this plan about?": what the plan as a whole sets out, with no
 * other subject ("方案讲了哪些补贴" asks about subsidies).
 */
const OVERVIEW_ZH =
  /^(请问|那|那么)?(这个|这份|该|本|整个|你们的?|昭通的?)?(实施)?(方案|文件|政策)(主要|到底|究竟)?(是)?((讲|说|写|规定|管)(了)?(些|的)?(什么|啥子?|哪些|哪样)(的|内容|东西|事情?)?|的?(主要)?内容(是|有)?(什么|啥子?|哪些)|(干|做|搞)(嘛|什么|啥子?)的)(呀|啊|嘛|呢|哦)?[?？。!！\s]*$/;
const OVERVIEW_EN =
  /^\s*(so |and |ok,? )?what(?:'s| is| does)\s+(?:this|the)\s+(?:plan|policy|document)\s+(?:about|say|cover)\s*[?.!]*$|^\s*(?:please |can you )?(?:give me |tell me )?(?:an? |the )?(?:overview|summary|summari[sz]e|main points)\b.{0,20}\b(?:plan|policy|document)\b[?.!\s]*$/i;

export function asksForOverview(text: string): boolean {
  const t = text.trim();
  return OVERVIEW_ZH.test(t) || OVERVIEW_EN.test(t);
}

export function asksWhenIssued(text: string): boolean {
  return ISSUED_ZH.test(text) || ISSUED_EN.test(text);
}

function formatDate(iso: string, locale: Turn['locale']): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  if (locale === 'zh-CN') return `${year}年${month}月${day}日`;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(year, month - 1, day));
}

export function answerIssued(turn: Turn, policy: PolicyKnowledge): void {
  const { doc } = policy;
  const document = doc.shortTitle[turn.locale];
  const date = formatDate(doc.issued, turn.locale);
  const preamble = doc.clauses.find((c) => c.keywordOnly);
  turn.intent = 'policy.ask';
  turn.answer = 'policy';
  const lines = [
    doc.issuer
      ? turn.t('policy:issued.byIssuer', { document, title: doc.title, issuer: doc.issuer, date })
      : turn.t('policy:issued.plain', { document, title: doc.title, date }),
  ];
  if (preamble) {
    lines.push(citationLine(preamble, doc, turn.locale, turn.t));
    turn.cite([preamble.id]);
  }
  turn.say(lines.join('\n'));
}
