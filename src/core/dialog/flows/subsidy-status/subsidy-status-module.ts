import type { PersonClaims, SubsidyClaimView } from '../../../outcomes/subsidies';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import type { IntentHandler, IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { DialogServices } from '../../services';
import type { Turn } from '../../turn';

/**
 * "补贴发了没", "补贴到账了吗", "我的补贴", "我女儿的补贴审核了没", "has my subsidy been paid": the status of the
 * writer's own claims. "能拿多少补贴", "有什么补贴", "补助多久到账", "补贴政策落实了没有" are questions about the
 * plan and stay with it (POLICY below wins).
 */
const STATUS =
  /(我|我的|我家\S{0,3}|(女儿|儿子|老婆|老公|爸爸|妈妈|爱人)的?)(培训)?补(贴|助)(款|钱)?|补(贴|助)(款|钱)?.{0,4}(发了|发没|发下来|发放了|到账|到帐|到了没|到没到|打(过来|来|给我)了|打了没|审核了|审批了|批下来|批了没|办好了|办得怎么样|进度|状态|怎么还没|还没(发|到|下来)|(什么时候|啥时候|好久|几时|哪天)(能|才)?(发|到账|到))|^(钱|补贴|补助)?(到账|到帐)了?(吗|没有?|么)?[?？。\s]*$|\bmy (training )?subsid(y|ies)\b|subsidy (status|been paid|paid yet|arrived)|(has|was|is) my subsidy|(when|where) is my (subsidy|money)/iu;
/** Questions about the plan's subsidies in general, never about a claim's status. */
const POLICY =
  /政策|多少|能拿|可以拿|能领|可以领|什么补贴|哪些补贴|有没有补贴|有补贴|补贴吗|怎么申请|如何申请|怎样申请|条件|标准|多久|how much|what subsid|which subsid|am i eligible|can i get|how (do|can|should) i (claim|apply|get)|how to (claim|apply|get)|where (do|can) i (claim|apply)/iu;

/** A subsidy that is not for training ("耕地地力补贴啥时候发", "我的低保补助到账没"): another office pays it. */
const OTHER_SUBSIDY =
  /(耕地|地力|种粮|粮食|良种|农机|退耕|生态|护林|公益林|草原|危房|住房|租房|房屋|养老|低保|医疗|医保|高龄|独生|计生|燃油|家电|产业|创业担保|贴息|孤儿|临时救助|困难|残疾人?(两项|生活|护理))\S{0,4}补(贴|助)|\b(farmland|farming|grain|housing|rent|pension|medical|fuel|elderly|disability) (subsid|allowance)/iu;

/** Someone outside the person's family here ("我表哥的补贴还没到账"): their claims are not this person's to see. */
const SOMEONE_ELSE =
  /(表|堂)(哥|姐|弟|妹)|朋友|同学|邻居|同事|亲戚|老乡|别人|\b(friend|cousin|neighbou?r|colleague)/iu;

export function isSubsidyStatusQuery(text: string): boolean {
  const t = text.trim();
  return (
    STATUS.test(t) &&
    !POLICY.test(t) &&
    !OTHER_SUBSIDY.test(t) &&
    !(SOMEONE_ELSE.test(t) && !/我的|\bmy\b/iu.test(t))
  );
}

const handoff = (turn: Turn): ChoiceOption => ({
  label: turn.t('outcomes:subsidy.handoff'),
  action: { type: 'intent', intent: 'handoff.human' },
});

function claimLines(turn: Turn, c: SubsidyClaimView): string[] {
  const { t, locale } = turn;
  const sep = t('outcomes:listSeparator');
  const lines = [
    t('outcomes:subsidy.line', {
      code: c.course.code,
      title: c.course.title[locale],
      status: t(`outcomes:subsidy.status.${c.status}`),
    }),
  ];
  if (c.status === 'documents_missing')
    lines.push(
      c.missing.length
        ? t('outcomes:subsidy.missing', { list: c.missing.map((d) => d[locale]).join(sep) })
        : t('outcomes:subsidy.missingAsk'),
    );
  if (c.status === 'not_applied') {
    lines.push(t('outcomes:subsidy.needed', { list: c.needed.map((d) => d[locale]).join(sep) }));
    turn.cite(c.clauses);
  }
  if (c.status === 'submitted' || c.status === 'approved') lines.push(t(`outcomes:subsidy.next.${c.status}`));
  if (c.status === 'paid')
    lines.push(
      c.amountYuan ? t('outcomes:subsidy.amount', { yuan: c.amountYuan }) : t('outcomes:subsidy.next.paid'),
    );
  return lines;
}

function personBlock(turn: Turn, p: PersonClaims): string {
  const { t } = turn;
  const who = p.memberName === undefined ? '' : p.memberName || t('outcomes:familyMember');
  const intro = who ? t('outcomes:subsidy.familyIntro', { name: who }) : t('outcomes:subsidy.intro');
  return [intro, ...p.claims.flatMap((c) => claimLines(turn, c))].join('\n');
}

export const answerSubsidyStatus =
  (services: DialogServices): IntentHandler =>
  async (turn) => {
    const { t } = turn;
    if (!services.subsidies) {
      turn.say(t('outcomes:unavailable'), [handoff(turn)]);
      return;
    }
    const people = (await services.subsidies.forPerson(turn.person.id)).filter((p) => p.claims.length);
    if (!people.length) {
      turn.say(t('outcomes:subsidy.none'), [
        { label: t('outcomes:subsidy.askPolicy'), action: { type: 'intent', intent: 'policy.menu' } },
        handoff(turn),
      ]);
      return;
    }
    const blocks = people.map((p) => personBlock(turn, p));
    blocks.push(t('outcomes:subsidy.outro'));
    turn.say(blocks.join('\n\n'), [handoff(turn), ...mainMenu(t).slice(0, 2)]);
  };

/** Issue 20, item 5: "补贴发了没" answered with the claim's status and what is missing; the plan keeps policy questions. */
export function subsidyStatusModule(services: DialogServices): DialogModule {
  const handler = answerSubsidyStatus(services);
  const route: IntentRoute = async (turn, understanding, next) => {
    const text = turn.text.trim();
    if (text.startsWith('/') || understanding.intent === 'broadcast.send' || !isSubsidyStatusQuery(text))
      return next(understanding);
    // Answered here: a curated answer or the plan's text on subsidies in general must not take "我的补贴".
    turn.intent = 'subsidy.status';
    turn.session.choices = [];
    await handler(turn, { ...understanding, intent: 'subsidy.status', confidence: 1 });
  };
  return { route, intents: { 'subsidy.status': handler } };
}
