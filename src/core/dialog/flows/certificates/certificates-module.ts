import type { CertificateView, PersonOutcomes } from '../../../outcomes/certificates';
import type { DialogModule } from '../../dialog-module';
import type { IntentHandler, IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';

/**
 * "我的证书", "证书查询", "我的证书发了没", "查一下我女儿的证书", "my certificates": the writer's own certificates
 * and course results. Questions about certificates in general ("证书有什么用", "技能证书哪里考", "证书在网上能
 * 查到吗") stay with the plan.
 */
const MINE =
  /^(请|麻烦)?(帮我|给我)?(查询?|查一下|查查|查看|看看|看一下)?(一下)?(我|我的|我家\S{0,3}|我(女儿|儿子|老婆|老公|爸爸|妈妈|父亲|母亲|爱人)的?)的?(培训)?(证书|证|合格证|结业证)(查询|查一下|怎么查|咋个?查|在哪(里|儿)?查|哪里查|呢|在哪|在哪里|在哪儿|发了没有?|发了吗|下来了?没有?|下来了吗|到了没有?|到了吗|有没有)?[吗呢啊?？。!！\s]*$|^(证书|合格证|结业证)(查询|查一下)[吗?？。\s]*$|^(我)?(拿|领)到(证书|证)(了)?(没有?|吗)[?？。\s]*$|^(show |check |view |see )?(me )?my (training )?certificates?( please)?[?.!\s]*$|^(have i|did i) (got|get|pass)(ten)? (my |the |a )?(certificate|course)s?[?.!\s]*$|^how (do|can) i (check|see|find|get) my (training )?certificates?[?.!\s]*$/iu;

export function isCertificateQuery(text: string): boolean {
  return MINE.test(text.trim());
}

function certificateLine(turn: Turn, c: CertificateView, n: number): string {
  return turn.t('outcomes:certificates.line', {
    n,
    type: turn.t(`outcomes:certificateType.${c.type}`),
    number: c.number,
    date: c.issuedOn,
    course: c.course
      ? `${c.course.code} ${c.course.title[turn.locale]}`
      : turn.t('outcomes:certificates.noCourse'),
  });
}

/** One person's part of the answer: their certificates, else an honest "none yet" with their course results. */
function personLines(turn: Turn, p: PersonOutcomes): string[] {
  const { t, locale } = turn;
  const who = p.memberName === undefined ? '' : p.memberName || t('outcomes:familyMember');
  const lines: string[] = [];
  if (p.certificates.length) {
    lines.push(
      who ? t('outcomes:certificates.familyIntro', { name: who }) : t('outcomes:certificates.intro'),
    );
    lines.push(...p.certificates.map((c, i) => certificateLine(turn, c, i + 1)));
  } else {
    lines.push(who ? t('outcomes:certificates.noneFamily', { name: who }) : t('outcomes:certificates.none'));
  }
  // Courses completed without a certificate recorded yet, and those still running: what the person can expect.
  const certified = new Set(p.certificates.flatMap((c) => (c.course ? [c.course.code] : [])));
  for (const r of p.results.filter((r) => !certified.has(r.course.code)))
    lines.push(
      t(`outcomes:certificates.result.${r.outcome}`, { code: r.course.code, title: r.course.title[locale] }),
    );
  for (const c of p.pending)
    lines.push(t('outcomes:certificates.result.pending', { code: c.code, title: c.title[locale] }));
  return lines;
}

export const answerCertificates =
  (services: DialogServices): IntentHandler =>
  async (turn) => {
    const { t } = turn;
    if (!services.certificates) {
      turn.say(t('outcomes:unavailable'), mainMenu(t));
      return;
    }
    const people = await services.certificates.forPerson(turn.person.id);
    // Family members with nothing at all (no course, no certificate) are left out.
    const shown = people.filter(
      (p, i) => i === 0 || p.certificates.length || p.results.length || p.pending.length,
    );
    const blocks = shown.map((p) => personLines(turn, p).join('\n'));
    const own = shown[0]!;
    if (shown.length === 1 && !own.certificates.length && !own.results.length && !own.pending.length)
      blocks.push(t('outcomes:certificates.noCourses'));
    blocks.push(t('outcomes:certificates.outro'));
    turn.say(blocks.join('\n\n'), mainMenu(t));
  };

/** Issue 20, item 2: "我的证书" answered from the records (certificates, course results), for the family too. */
export function certificatesModule(services: DialogServices): DialogModule {
  const handler = answerCertificates(services);
  const route: IntentRoute = async (turn, understanding, next) => {
    const text = turn.text.trim();
    if (text.startsWith('/') || !isCertificateQuery(text)) return next(understanding);
    // Answered here, so a curated answer or the plan's text about certificates in general cannot take it.
    turn.intent = 'certificates.mine';
    turn.session.choices = [];
    await handler(turn, { ...understanding, intent: 'certificates.mine', confidence: 1 });
  };
  return { route, intents: { 'certificates.mine': handler } };
}
