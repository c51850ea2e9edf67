import { dialectSearchText } from '../../policy/dialect';
import { subjectClause } from '../../policy/policy-answer';
import {
  ABSTAIN_BELOW,
  BASIS_CONFIDENCE_THRESHOLD,
  POLICY_CONFIDENCE_THRESHOLD,
  type PolicyKnowledge,
} from '../../policy/policy-index';
import { asksWhoIsResponsible, detectQuestionKind } from '../../policy/question-kind';
import { referralFor } from '../../policy/referrals';
import { type IntentRoute, tradesIn } from '../handler';
import { looksLikeQuestion } from '../question-words';
import { asksWhatBotDoes, smallTalkOf } from '../small-talk';
import type { Turn } from '../turn';
import { answerIssued, asksForOverview, asksWhenIssued } from './plan-issued';
import { type PlanSearch, pinClause, preferClause, searchPlan } from './plan-search';

/**
 * The one answer decision for free text: intent classification has spoken, and the plan is searched too.
 * A question the classifier did not place but the plan answers gets the plan's answer; a course search or a
 * sign-up the plan speaks to gets the plan's basis first ("both"); a policy question the plan does not cover
 * gets an honest "the plan does not say" with where to ask, and one the plan may cover in two ways a choice.
 */
export function policyRoute(policy: PolicyKnowledge): IntentRoute {
  const search = (turn: Turn, text: string) => searchPlan(turn, policy.index, text);

  /**
   * A short follow-up to the policy question just answered ("那要什么条件", "and for veterans?") is searched
   * together with that question when that makes the plan surer than the follow-up alone; so is a question the
   * plan cannot place alone that read with it surely stays on the clause just cited.
   */
  const withTopic = (turn: Turn) => {
    const alone = search(turn, turn.text);
    const topic = turn.session.topic;
    if (!topic || !topicIsOn(turn)) return alone;
    const query = `${topic.text} ${turn.text}`;
    if (!isFollowUp(turn.text)) {
      // "要啥条件企业才能拿到" after "学徒制企业补贴多少钱": a question the plan cannot place on its own that, read
      // with the one just answered, surely stays on that answer's clause, is a follow-up to it.
      // Not one that names its own subject by a clause's keyword ("新型职业农民怎么培养" after the apprentice subsidy).
      const own = alone.results[0]?.clauseId;
      if (!topic.clause || !looksLikeQuestion(turn.text) || (own && policy.index.namesClause(own, turn.text)))
        return alone;
      if (alone.confidence >= ABSTAIN_BELOW) return alone;
      const together = search(turn, query);
      if (together.confidence < POLICY_CONFIDENCE_THRESHOLD || together.results[0]?.clauseId !== topic.clause)
        return alone;
      turn.planQuery = query;
      return together;
    }
    const together = search(turn, query);
    // A message that leans on the last one ("那退役军人呢", "由哪个部门负责") is read with it whenever that
    // answers; one that merely is short is read with it only when that makes the plan surer.
    // "也行吗" leans on it too, unless the message alone is sure of another clause ("家政也有吗" after 学徒补贴).
    const also =
      ALSO.test(turn.text) &&
      (alone.confidence < POLICY_CONFIDENCE_THRESHOLD ||
        !policy.index.namesClause(alone.results[0]?.clauseId ?? '', turn.text));
    const leans =
      FOLLOW_UP_LEAD.test(turn.text.trim()) || also || pointsBack(turn.text) || !namesSubject(turn.text);
    // "谁负责组织" after "种天麻有培训吗": who runs what was just answered, from that clause (its lead departments).
    if (topic.clause && asksOnlyWhoRuns(turn.text)) {
      turn.planQuery = query;
      pinClause(turn, query, topic.clause);
      return search(turn, query);
    }
    if (leans ? together.confidence < ABSTAIN_BELOW : together.confidence <= alone.confidence) return alone;
    // A message naming another group of people the topic's clause does not speak of ("那坐过牢的呢" after
    // 残疾人, "那退伍的呢" after 建档立卡户) is answered from the clause about that group, as it alone finds it.
    if (topic.clause && leavesTopicClause(turn.text, alone.results, topic.clause)) return alone;
    turn.planQuery = query;
    // The topic stays what it was: "那退役军人呢" after 创业培训 is answered from the clause on 创业培训 when it
    // names 退役军人 too (s4.1), not from the clause about 退役军人 that mentions 创业培训 in passing (s1.3).
    if (leans && topic.clause && preferClause(turn, policy.index, query, topic.clause))
      return search(turn, query);
    return together;
  };

  /** The clauses naming the trades the person named (天麻 → s1.4, 家政 → s2.6). */
  const namedClauses = (u: Parameters<IntentRoute>[1]): string[] => tradesOf(u).flatMap(policy.tradeClauses);

  /** Answers the policy question from the named trade's clause the search ranks highest (else the first named). */
  const answerFromNamed = (
    turn: Turn,
    u: Parameters<IntentRoute>[1],
    next: Parameters<IntentRoute>[2],
    named: readonly string[],
  ): ReturnType<Parameters<IntentRoute>[2]> => {
    const ranked = search(turn, turn.text).results.find((r) => named.includes(r.clauseId))?.clauseId;
    pinClause(turn, turn.text, ranked ?? named[0]!);
    return next({ ...u, intent: 'policy.ask' });
  };

  /**
   * The clause about a group of people the message names (退役军人 → s1.3), when the search puts it first though
   * perhaps not surely: the person's story dilutes the question. Not "startup training for young people": another
   * clause the message names by its keyword (创业) is as likely its subject.
   */
  const groupHome = (text: string, results: PlanSearch['results']): string | undefined => {
    const top = results[0]?.clauseId;
    if (!top || !policy.index.groupClauses(text).includes(top)) return undefined;
    if (results.some((r) => r.clauseId !== top && policy.index.namesClause(r.clauseId, text)))
      return undefined;
    return top;
  };

  /** The message names a group whose own clause the search of it puts first, and the topic's clause not as high. */
  const leavesTopicClause = (text: string, alone: PlanSearch['results'], topicClause: string): boolean => {
    const groups = policy.index.groupClauses(text);
    const top = alone[0];
    if (!top || groups.includes(topicClause) || !groups.includes(top.clauseId)) return false;
    const kept = alone.find((r) => r.clauseId === topicClause);
    return !kept || kept.coverage < top.coverage;
  };

  /** `rerouted`: the intent was already changed once by a rule below; no rule changes it again. */
  const route = async (
    ...[turn, u, next, rerouted = false]: [...Parameters<IntentRoute>, boolean?]
  ): Promise<void> => {
    // "这个方案是哪年发的": the document's own date, which no clause states.
    if (REFERRABLE.has(u.intent) && asksWhenIssued(turn.text)) return answerIssued(turn, policy);
    // "你能帮我干啥", "what can you do for me": the menu says what the bot does.
    if (REFERRABLE.has(u.intent) && u.intent !== 'help' && asksWhatBotDoes(turn.text))
      return next({ ...u, intent: 'help' });
    // "你是机器人吗", "吃饭了没": small talk, answered as such, not as a question the plan does not cover.
    // "are you a real person?" asks what the bot is; the reply says so and how to reach a person.
    const talk = smallTalkOf(turn.text);
    if (
      talk &&
      (REFERRABLE.has(u.intent) ||
        (talk === 'bot' && u.intent === 'handoff.human' && !HANDS_OVER.test(turn.text)))
    )
      return next({ ...u, intent: 'unknown' });
    // "这个方案是讲什么的", "What is this plan about?": the clause saying what the whole plan sets out to do.
    // "这个政策主要内容是什么" right after an answer asks about that answer's subject, not the whole plan.
    if (
      REFERRABLE.has(u.intent) &&
      policy.doc.overview &&
      asksForOverview(turn.text) &&
      !(topicIsOn(turn) && POINTS_BACK_ONCE.test(turn.text))
    ) {
      return next({ ...u, intent: 'choice.clause', target: policy.doc.overview });
    }
    // A question about a matter the plan leaves to another office (医保, 低保, 驾照, 欠薪 …): say so and where
    // to ask, whatever the classifier guessed, unless it is about training and the plan answers it.
    // A matter the plan never speaks to ("always": loans, platform passwords) is referred said as a statement too
    // ("I forgot my password for the sign-up site"), unless the message is a wish to learn that only mentions it
    // ("家里有贷款要还，我想学电焊", "我想学电焊，登不上网站").
    const always = () => {
      const topic = policy.referrals.find(turn.text);
      return (
        topic !== undefined &&
        policy.referrals.always(topic) &&
        !wantsToLearn(turn.text, u) &&
        !OWN_WISH.test(turn.text)
      );
    };
    // A statement nothing else understood ("the factory hasn't paid us for two months") is referred too, for a
    // topic whose telling is itself a call for help (unpaid wages; not "我有驾照", "我明天去医院体检"), when the
    // plan has no sure answer to it.
    const unknownStatement = () => {
      const topic = u.intent === 'unknown' ? policy.referrals.find(turn.text) : undefined;
      return (
        topic !== undefined &&
        policy.referrals.saidToo(topic) &&
        withTopic(turn).confidence < POLICY_CONFIDENCE_THRESHOLD
      );
    };
    if (
      REFERRABLE.has(u.intent) &&
      (u.intent === 'policy.ask' || looksLikeQuestion(turn.text) || always() || unknownStatement())
    ) {
      const referral = referralFor(policy.referrals, turn.text, () => withTopic(turn).confidence);
      if (referral) return abstain(turn, policy, undefined, referral);
    }
    // "想学电焊，有补贴吗", "学厨师要钱不": a wish to learn a trade and a question about money the plan does not
    // answer for that trade is a course search with what the plan does say about subsidised trades.
    if (
      !rerouted &&
      (u.intent === 'policy.ask' || u.intent === 'unknown') &&
      (wantsToLearn(turn.text, u) || searchingForTrade(turn)) &&
      asksMoney(turn.text) &&
      // "创业补助怎么申请", "电焊补贴一个人多少钱" ask what the plan does not say; they are not course wishes.
      !['amount', 'how'].includes(detectQuestionKind(turn.text)) &&
      // "要交钱不" names nothing: in a course search it is about the trade being searched for.
      (!namesSubject(turn.text) || withTopic(turn).confidence < POLICY_CONFIDENCE_THRESHOLD)
    ) {
      await route(turn, { ...u, intent: 'course.search' }, next, true);
      // What was asked is the plan's word on money ("学电脑有补贴吗"), the courses following it; a wish or a
      // request for classes ("想学厨师，有补贴吗", "天麻种植有培训不，要钱不") is the course search it reads as.
      if (turn.intent === 'course.search' && !OWN_WISH.test(turn.text) && !ABOUT_OUR_CLASSES.test(turn.text))
        turn.intent = 'policy.ask';
      return;
    }
    // "Is this class full?", "Does it include lunch?", "我报的班几点上课" with no course in view (course facts answer
    // those when one is): about the person's own classes, never a clause of the plan that shares a word.
    if ((u.intent === 'policy.ask' || u.intent === 'unknown') && OWN_CLASS.test(turn.text))
      return next({ ...u, intent: 'enrol.list' });
    // The classifier unsure between a request and a question ("My company is closing. Will I get retraining?"
    // read as a list of my sign-ups), and the plan sure of its answer: the question it is.
    if (
      !rerouted &&
      UNSURE_REROUTED.has(u.intent) &&
      u.confidence < UNSURE_BELOW &&
      looksLikeQuestion(turn.text) &&
      !OWN_WISH.test(turn.text) &&
      !asksForHelp(turn.text) &&
      !ABOUT_OUR_CLASSES.test(turn.text) &&
      !OUR_CLASS_WORDS.test(turn.text) &&
      detectQuestionKind(turn.text) !== 'where_when' &&
      namesSubject(turn.text) &&
      withTopic(turn).confidence >= POLICY_CONFIDENCE_THRESHOLD
    )
      return route(turn, { ...u, intent: 'policy.ask' }, next, true);
    // "作为县人社局工作人员，想了解方案对组织领导的要求": someone saying who they are, not asking for staff.
    if (
      !rerouted &&
      u.intent === 'handoff.human' &&
      SELF_AS_STAFF.test(turn.text) &&
      !ASKS_FOR_SOMEONE.test(turn.text) &&
      namesSubject(turn.text)
    )
      return route(turn, { ...u, intent: 'policy.ask' }, next, true);
    // "市人社局电话多少", "What's the phone number of the bureau?": a question for a number or another office's
    // matter, not a request for a person here; the referral answers it (the reply still offers a person). A
    // complaint (投诉, 举报) goes on to the staff inbox, which registers it.
    if (
      !rerouted &&
      u.intent === 'handoff.human' &&
      looksLikeQuestion(turn.text) &&
      !ASKS_FOR_PERSON.test(turn.text) &&
      !COMPLAINS.test(turn.text) &&
      policy.referrals.find(turn.text) !== undefined
    )
      return route(turn, { ...u, intent: 'policy.ask' }, next, true);
    // "今年的技能培训报名哪天截止", "要自己报名吗 还是单位安排": a question about signing up in general, which the
    // classifier was unsure was a look at one's own sign-ups, is not answered "you have signed up for nothing".
    if (
      !rerouted &&
      u.intent === 'enrol.list' &&
      (u.confidence < UNSURE_BELOW || DEADLINE.test(turn.text)) &&
      looksLikeQuestion(turn.text) &&
      !FIRST_PERSON.test(turn.text) &&
      !OWN_CLASS.test(turn.text)
    )
      return route(turn, { ...u, intent: 'policy.ask' }, next, true);
    // "网上能报名不", "Can I sign up online?", "有没有 online 报名？": whether one can sign up online is the plan's
    // question (its online platform), not a sign-up or a list of one's own.
    if (
      !rerouted &&
      (u.intent === 'enrol.start' || u.intent === 'enrol.list' || u.intent === 'course.search') &&
      ONLINE_SIGN_UP.test(turn.text) &&
      looksLikeQuestion(turn.text) &&
      !OWN_WISH.test(turn.text) &&
      // "我们在网上报名了，啥时候通知" is about one's own sign-up; "在网上报名要钱不" asks about money.
      !SIGNED_UP_ALREADY.test(turn.text) &&
      !asksMoney(turn.text)
    )
      return route(turn, { ...u, intent: 'policy.ask' }, next, true);
    switch (u.intent) {
      case 'help': {
        // "展翅行动是干嘛的", "What are the Phoenix and Kunpeng plans?": a question the plan answers surely is
        // not a request for the menu.
        if (
          !rerouted &&
          !asksForHelp(turn.text) &&
          namesSubject(turn.text) &&
          withTopic(turn).confidence >= POLICY_CONFIDENCE_THRESHOLD
        )
          return route(turn, { ...u, intent: 'policy.ask' }, next, true);
        // "房贷利率能不能降": a question about something, not a request for the menu, even if nothing here answers it.
        if (!rerouted && !asksForHelp(turn.text) && looksLikeQuestion(turn.text) && namesSubject(turn.text))
          return route(turn, { ...u, intent: 'policy.ask' }, next, true);
        return next(u);
      }
      case 'unknown': {
        const { confidence } = withTopic(turn);
        if (confidence >= POLICY_CONFIDENCE_THRESHOLD) return next({ ...u, intent: 'policy.ask' });
        // A question nothing here answers ("医保怎么交"): the plain truth beats "I did not understand".
        if (looksLikeQuestion(turn.text) && namesSubject(turn.text)) return abstain(turn, policy, undefined);
        return next(u);
      }
      case 'course.search':
      case 'enrol.start': {
        const named = namedClauses(u);
        // "创业培训都教些什么内容", "搞养殖的有什么培训", "Can I register online?": a question about what the
        // programme offers that the plan answers surely, with no wish of the person's own in it, is answered
        // as the policy question it is (its reply offers the courses); "我想学养殖" stays a course search.
        if (
          !rerouted &&
          looksLikeQuestion(turn.text) &&
          !OWN_WISH.test(turn.text) &&
          !ABOUT_OUR_CLASSES.test(turn.text) &&
          detectQuestionKind(turn.text) !== 'where_when' &&
          withTopic(turn).confidence >= BASIS_CONFIDENCE_THRESHOLD
        )
          return route(turn, { ...u, intent: 'policy.ask' }, next, true);
        // "当兵回来莫得手艺，有培训没得", "种洋芋的有哪样培训嘛", "煤矿关了，我们转岗的有没有培训": whether the
        // programme has training for a kind of person or work, with no class, sign-up or wish of the person's
        // own in it, is the plan's question, answered directly ("有。…"); "有没有电工班", "想学挖机哪点有班" and
        // a trade the plan never names ("有没有厨师培训") stay course searches.
        if (
          !rerouted &&
          looksLikeQuestion(turn.text) &&
          TRAINING_WORD.test(turn.text) &&
          !u.slots.county &&
          !OWN_WISH.test(turn.text) &&
          !CLASS_OR_SIGN_UP.test(turn.text) &&
          !OUR_CLASS_WORDS.test(turn.text) &&
          (named.length > 0 || !tradeNamed(u)) &&
          (detectQuestionKind(turn.text) !== 'where_when' || !tradeNamed(u)) &&
          (withTopic(turn).confidence >= POLICY_CONFIDENCE_THRESHOLD ||
            (!tradeNamed(u) &&
              !asksMoney(turn.text) &&
              groupHome(turn.text, withTopic(turn).results) !== undefined))
        )
          return route(turn, { ...u, intent: 'policy.ask' }, next, true);
        // "政府有没有组织种天麻的技术培训", "国家管不管教人种洋芋的技术培训": whether the government provides training
        // for a trade the plan names, with no class asked for, is the plan's question: answered from the clause
        // naming the trade ("有。" and its words), the courses offered under it.
        if (!rerouted && asksWhatGovernmentDoes(turn.text) && named.length > 0)
          return answerFromNamed(turn, u, next, named);
        // Only a message that says what it is about gets the plan's basis: "我想找个培训课程" matches the
        // plan's generic words well and would otherwise always be answered with the same clause.
        // A sure search of the message gives the clause; else a trade the plan names (天麻, 家政, 养老护理 …)
        // gives the clause naming it, the one the search ranks highest.
        const { results, confidence } = saysWhat(turn.text)
          ? search(turn, withoutSigningUp(turn.text))
          : { results: [], confidence: 0 };
        // A sure search gives the clause about the message's subject, not one sharing only 报名 or 培训 with it.
        const basis =
          confidence >= BASIS_CONFIDENCE_THRESHOLD
            ? (subjectClause(
                results.flatMap((r) => policy.index.clause(r.clauseId) ?? []),
                turn.text,
                results.map((r) => r.score),
              )?.id ?? results[0]!.clauseId)
            : (results.find((r) => named.includes(r.clauseId))?.clauseId ??
              named[0] ??
              // "当兵回来想学门手艺", "俺是建档立卡的，想学个技术": the clause about the person's group, when
              // the search ranks it first (not "startup training for young people": 创业 is the subject).
              policy.index.groupClauses(turn.text).find((id) => results[0]?.clauseId === id));
        // "想学厨师，有补贴吗": the plan names no trade's subsidy, only that the list of subsidised trades is
        // published; said so, with the courses and their fees.
        const aboutMoney = !basis && asksMoney(turn.text) && policy.subsidyListClause;
        const clause = basis
          ? policy.index.clause(basis)
          : aboutMoney
            ? policy.index.clause(policy.subsidyListClause!)
            : undefined;
        // The plan's word that subsidies are paid comes first when it has one ("落实职业培训补贴政策"), then where
        // the list of subsidised trades is.
        const subsidised = aboutMoney ? policy.subsidyPolicy : undefined;
        const policyClause = subsidised && policy.index.clause(subsidised.clause);
        if (clause) {
          const key = !aboutMoney ? 'policyBasis' : policyClause ? 'subsidyPolicyBasis' : 'subsidyBasis';
          turn.say(
            turn.t(`courses:${key}`, {
              document: policy.doc.shortTitle[turn.locale],
              ref: clause.ref,
              topic: clause.topic?.[turn.locale] ?? clause.heading,
              summary: aboutMoney ? firstSentence(clause.summary[turn.locale]) : clause.summary[turn.locale],
              ...(policyClause && {
                policyRef: policyClause.ref,
                policyQuote: subsidised!.quote[turn.locale],
              }),
            }),
          );
          turn.cite(policyClause ? [policyClause.id, clause.id] : [clause.id]);
        }
        await next(u);
        if (clause) turn.answer = 'both';
        return;
      }
      case 'policy.ask': {
        const { results, confidence } = withTopic(turn);
        // "要什么条件" with nothing before it: any clause would be a guess; ask what it is about.
        if (!turn.planQuery && !namesSubject(turn.text)) return askWhatAbout(turn, policy);
        // "我是残疾人 想学点手艺 克哪点报名嘛": a wish to learn and sign up that the plan cannot answer surely is
        // a course search (with the plan's basis where it names the person's group or trade), not "the plan
        // does not cover this" or "did you mean…?".
        if (
          !rerouted &&
          confidence < POLICY_CONFIDENCE_THRESHOLD &&
          OWN_WISH.test(turn.text) &&
          wantsToLearn(turn.text, u) &&
          SIGN_UP_WORD.test(turn.text)
        )
          return route(turn, { ...u, intent: 'course.search' }, next, true);
        // "政府会组织种苹果的技术培训吗": whether there is training for a trade the plan names, which the search
        // cannot place surely, is answered from the clause naming the trade, with its courses ("both").
        const named = namedClauses(u);
        if (!rerouted && confidence < ABSTAIN_BELOW && TRAINING_WORD.test(turn.text) && named.length > 0)
          return asksWhatGovernmentDoes(turn.text)
            ? answerFromNamed(turn, u, next, named)
            : route(turn, { ...u, intent: 'course.search' }, next, true);
        // "I'm a veteran and just moved back… Can I get job training?", "被公司裁了，现在失业在家，能参加啥培训",
        // "What does 两后生 mean?": training for (or the name of) a group of people the plan has a clause for, which
        // the search puts first but not surely (the person's story dilutes the question), is answered from that
        // clause. Not money ("一天补多少"): the clause gives no such figure.
        const home = groupHome(turn.text, results);
        if (
          !turn.planQuery &&
          confidence < POLICY_CONFIDENCE_THRESHOLD &&
          home &&
          (TRAINING_WORD.test(turn.text) || ASKS_MEANING.test(turn.text)) &&
          !asksMoney(turn.text)
        ) {
          pinClause(turn, turn.text, home);
          return next(u);
        }
        if (confidence < ABSTAIN_BELOW) return abstain(turn, policy, results[0]?.clauseId);
        await next(u);
        if (!turn.citations.length && !turn.answer) turn.answer = offersClauses(turn) ? 'clarify' : 'abstain';
        return;
      }
      default:
        return next(u);
    }
  };

  return async (turn, u, next) => {
    await route(turn, u, next);
    // What the plan answered is the topic a follow-up refers to; anything else ends it.
    if (
      turn.answer === 'policy' ||
      turn.answer === 'both' ||
      (turn.answer === undefined && turn.citations.length && turn.intent === 'policy.ask')
    )
      turn.session.topic = {
        text: (turn.planQuery ?? turn.text).slice(0, 500),
        at: turn.now.toISOString(),
        ...(turn.citations[0] ? { clause: turn.citations[0] } : {}),
      };
    else turn.session.topic = undefined;
  };
}

/** Free-text intents a message about another office's matter may have been mistaken for. */
const REFERRABLE = new Set<string>([
  'unknown',
  'policy.ask',
  'course.search',
  'enrol.start',
  'enrol.list',
  'help',
]);
/** Saying one is staff oneself ("作为乡镇工作人员", "我是扶贫专干"): not a request for a person. */
const SELF_AS_STAFF =
  /(作为|我是|本人是)[^，,。？?找联系转叫]{0,12}(工作人员|干部|专干)|\bas an? (official|staff member|civil servant|case worker)\b/i;
/** Asking for someone: 找, 联系, 转, 叫, 人工, talk to, speak to. */
const ASKS_FOR_SOMEONE = /找|联系|转|叫|人工|\b(talk|speak) to\b|\bcontact\b/i;
/** Asking for a person here, or for our own number: 人工, 客服, 工作人员, 你们, 领导, talk to someone, your number. */
const ASKS_FOR_PERSON =
  /人工|客服|真人|找个人|工作人员|你们|领导|负责人|(联系|打电话给|回电话给)我|\b(talk|speak|chat) (to|with)\b|\b(a|real) (person|human)\b|\b(call|contact) me\b|\byour\b/i;
/** Asking outright to be put through to a person (转人工, "I want to talk to a human"), not whether one is talking to one. */
const HANDS_OVER =
  /转人工|人工客服|要人工|找人工|找(个)?(真人|工作人员|客服)|\b(talk|speak|chat) (to|with)\b|\bi (want|need|would like)\b/i;
/** A complaint, a report of wrongdoing or of being cheated, which the staff inbox registers. */
const COMPLAINS = /投诉|举报|反映|骗|\bcomplain|\breport\b/i;
/** When signing up closes: 截止, 截至, deadline, closing date. */
const DEADLINE = /截止|截至|\b(deadline|closing date)\b/i;
/** The person speaks of themselves: 我, 俺, 咱, I, my, me. */
const FIRST_PERSON = /我|俺|咱|\b(i|i'm|my|me|mine)\b/i;

/** Intents a question the plan answers surely may have been mistaken for when the classifier was unsure. */
const UNSURE_REROUTED = new Set<string>(['help', 'enrol.list', 'course.search', 'enrol.start']);
/** A person's own class, teacher or lesson ("Who is my teacher?", "Can I bring my child?"), not the plan. */
const OUR_CLASS_WORDS =
  /上课|老师|教室|带(孩子|娃|小孩)|\b(class|course|lesson|teacher|classroom|bring|lunch|start|starts)\b/i;

/** A question about one particular class: this/my class, "does it include/start", 这个班, 我报的. */
const OWN_CLASS =
  /(?<!\b(during|after|before|throughout) )\b(this|my|our|the) (class|course|lesson|teacher)\b|\bdoes it (include|start|end|finish)\b|这个班|那个班|我的课|我报的|我上的/i;

/**
 * Asks for a class, a sign-up or a class's length, not whether training exists: 班, 课, 报名, 几天, class,
 * course, register, how long. A county named ("鲁甸有没得电商培训") asks for the classes there too.
 */
const CLASS_OR_SIGN_UP =
  /(?<![上下加值])班|(?<![上下])课|报名|报个名|几天|多久|多长时间|\b(class|classes|course|courses|enrol|enroll|register|sign up|how long)\b/i;
/** 政府/国家/上面 … 组织/安排/管/给/支持: what the government does, not a class the person wants. */
const GOVERNMENT_DOES =
  /(政府|国家|公家|上面|政策).{0,8}(组织|安排|管|给|有|办|搞|支持|提供|出钱|补)|\bgovernment\b/i;

/** A question whether the government provides something, with no class or sign-up asked for, nor a wish to be paid. */
function asksWhatGovernmentDoes(text: string): boolean {
  return (
    GOVERNMENT_DOES.test(text) &&
    !CLASS_OR_SIGN_UP.test(text) &&
    looksLikeQuestion(text) &&
    !(OWN_WISH.test(text) && asksMoney(text))
  );
}

/** The message asks about training at all (not "有什么好学又好找工作的", a wish for advice). */
const TRAINING_WORD = /培训|手艺|技术|技能|\b(training|trained|train|trade|skills?)\b/i;

/** Asks what a name means: "两后生是什么意思", "What does 两后生 mean?". */
const ASKS_MEANING = /什么意思|啥意思|啥子意思|是指什么|指的是|\bmeans?\b|\bmeaning\b/i;

/** Signing up or finding a class: 报名, 报个名, 哪里学, sign up, enrol, where can I learn. */
const SIGN_UP_WORD =
  /报名|报个名|(哪里|哪点|哪儿|在哪|哪个地方)(学|报|有班|能学)|\b(sign (me )?up|enrol|enroll|register|where can i (learn|study|train))\b/i;
/** Signing up online: 网上/线上/手机上 报名, sign up/register/enrol online. */
const ONLINE_SIGN_UP =
  /(网上|线上|手机上|微信上|online).{0,4}(报名|sign up|register|enrol)|(报名|sign up|register|enrol\w*).{0,6}(网上|线上|手机上|微信上|手机里|微信里)|\b(sign up|register|enrol\w*)\b( (for|in) (the )?(training|trainings|courses?|classes))? online\b/i;
/** Talk of a sign-up already made: 报名了, 报了, 已经报, signed up, registered. */
const SIGNED_UP_ALREADY = /报名了|报了|已经报|已报|\b(signed up|registered|enrolled)\b/i;

/** The trades the person named ("学电焊和叉车" names two). */
const tradesOf = (u: Parameters<IntentRoute>[1]): string[] => tradesIn(u.slots);
const tradeNamed = (u: Parameters<IntentRoute>[1]) => tradesOf(u).length > 0;

/** Below this classifier confidence the plan's own certainty decides. */
const UNSURE_BELOW = 0.6;
/** How long a policy question stays the topic of the conversation. */
const TOPIC_KEPT_MS = 30 * 60_000;

/** An answer was given in the last TOPIC_KEPT_MS: what a follow-up may lean on. */
function topicIsOn(turn: Turn): boolean {
  const topic = turn.session.topic;
  return topic !== undefined && turn.now.getTime() - Date.parse(topic.at) <= TOPIC_KEPT_MS;
}
/** A message that leans on what was said before: "那…", "还有…", "and …?", "what about …", "is that …?". */
const FOLLOW_UP_LEAD =
  /^(那|那么|那如果|那要是|还有|另外|如果|要是|假如|其他|别的|and\b|what about|how about|then\b|so\b|also\b|what if|(does|do|is|are|can|will|would|could|should) (that|this|those|these)\b)/i;

/** "哪个部门管这个", "what do they teach": the message points back at what was asked before. */
const POINTS_BACK =
  /这个|这项|这种|这些|这块|这一块|这方面|这件事|这事|那个|那种|那些|(?<!其)它|上面说的|刚才|\b(this|that|it|they|them|those|these)\b/giu;
/** The same words, for a test (POINTS_BACK is global, for replacing). */
const POINTS_BACK_ONCE = new RegExp(POINTS_BACK.source, 'iu');

/** Points back and names nothing else: "哪个部门管这个", "what do they teach"; not "这个方案里平台是怎么说的". */
function pointsBack(text: string): boolean {
  const left = text.replace(POINTS_BACK, ' ');
  return left !== text && !namesSubject(left);
}

/** Words of running something, which name no subject of their own in "找哪个单位组织", "who organises it". */
const RUNNING_WORDS = /组织|单位|安排|负责|牵头|管理?|\b(runs?|organi[sz]es?|organi[sz]ing|in charge)\b/gi;

/** "找哪个单位组织", "这个谁负责组织": asks only who runs it, which can only be about what was asked before. */
function asksOnlyWhoRuns(text: string): boolean {
  return (
    asksWhoIsResponsible(text) && !namesSubject(text.replace(RUNNING_WORDS, ' ').replace(POINTS_BACK, ' '))
  );
}

/** "也行吗", "没学历也可以吗", "me too?": the message says it goes with what was asked before. */
const ALSO = /也|\b(too|also|as well|either)\b/i;

/** A follow-up: leans on the last message, or is short (eight characters, or three words of English). */
function isFollowUp(text: string): boolean {
  const t = text.trim();
  // A question that names nothing ("how many times at least?", "要啥条件才行") can only be about what came before.
  if (!namesSubject(t)) return true;
  return (
    FOLLOW_UP_LEAD.test(t) ||
    pointsBack(t) ||
    Array.from(t).length <= 8 ||
    (/^[\x00-\x7f]+$/.test(t) && t.split(/\s+/).length <= 3)
  );
}

/** Words any wish for a course is made of; a message of nothing else names no subject the plan could speak to. */
const GENERIC =
  /我们?|想要?|要|找|个|一个|参加|报名|培训班?|课程?|班|学习?|一下|有没有|有没得|有吗|没有|吗|呢|嘛|什么|啥|哪些|哪个|的|了|请|帮我?|看看|\b(i|we|want|would|like|to|a|an|the|find|look|for|some|any|training|trainings|course|courses|class|classes|sign|up|join|enrol|enroll|me|please|is|are|there)\b|[\s\p{P}\p{S}]/giu;

/**
 * Asking to sign up ("哪点报名", "sign me up for"): how the plan's sign-up platform works is not what a request
 * for a class is about, so the plan's basis for it is searched without these words.
 */
const SIGNING_UP =
  /(在|去|到)?(哪里|哪点|哪儿|哪个地方|在哪|哪)(能|可以)?(报名|报(?!销))|报名|报个名|帮我报|给我报|\b(sign (me |us |him |her )?up|enrol+|enroll|register)\b/giu;

/**
 * The message without its asking to sign up, when what is left names a subject ("哪点报名学开挖机" → 开挖机).
 * How to sign up at all ("咋个报名培训嘛，要跑哪点去", "在线报名入口") is the plan's word on its sign-up
 * platform, and is searched as it is.
 */
function withoutSigningUp(text: string): string {
  if (ONLINE.test(text)) return text;
  const left = text.replace(SIGNING_UP, ' ');
  return namesSubject(left.replace(GENERIC, ' ')) ? left : text;
}
const ONLINE = /网上|线上|在线|手机上|入口|平台|\b(online|platform|website|app)\b/i;

function saysWhat(text: string): boolean {
  return text.replace(GENERIC, '').length >= 2;
}

/** Words that ask how the bot is used ("怎么使用", "帮助一下", "how does it work"), whatever else matches. */
const ASKS_FOR_HELP =
  /帮助|帮忙|菜单|功能|怎么用|怎么使用|咋个?用|怎么操作|咋个?操作|使用|说明|教程|你是谁|能干啥|能做什么|能干嘛|能干什么|看不懂|不会用|搞不懂|\bwhat (can|does) (this|the|you|it)( bot| thing| assistant)? do\s*(for me)?\s*[?.!]*$|(?<!\b(?:plan|policy|policies|it|government|city|they|programme|program|scheme|this|that)\s+)\bhelps?\b|\b(menu|how (does|do) (it|this|you) work|how (do|can) i use|who are you)\b/i;

/** Asks how to use the bot or what it can do ("怎么用", "你能帮我干啥"). */
function asksForHelp(text: string): boolean {
  return ASKS_FOR_HELP.test(text) || asksWhatBotDoes(text);
}

/** The person's own wish to learn or sign up: "我想学", "帮我报", "I want to…" — a course search, not a question. */
const OWN_WISH =
  /我想|我要|想学|要学|想去|想报|想考|想参加|帮我(?!们)|给我(?!们)|推荐|介绍|报个名|有没有.{0,6}(课|班)|\b(i want|i'd like|i would like|i wanna|find me|sign me|help me|recommend)\b/i;

/**
 * Asks about the classes themselves or signing up for one: where, when, how long, how to sign up, which
 * courses, whether there is training for something ("天麻种植有培训吗" wants the classes as much as the rule).
 */
const ABOUT_OUR_CLASSES =
  /报名|报个|课程|班|几天|多久|能学|学什么|学些什么|学啥|学哪些|(培训|课)有哪些|有哪些(培训|课)|有(没有|没得)?[^，,。？?]{0,8}(培训|课|班)|(什么|啥|哪些)(技术)?培训|\b(enrol|enroll|register|sign up|courses|classes|how long|is there (any )?training|any training)\b/i;

/** Asks whether something costs or pays money: 补贴, 免费, 要钱不, subsidy, free, cost … */
const MONEY =
  /补贴|补助|补钱|钱补|给钱|要钱|收钱|收费|免费|花钱|掏钱|交钱|交费|缴费|学费|费用|多少钱|好多钱|报销|\b(subsid\w*|costs?|fees?|pay|paid|for free|free of charge|is it free|free training)\b/i;

/** The first sentence of a clause summary: a phone screen takes the part about the list, not the rest. */
function firstSentence(summary: string): string {
  return summary.match(/^.+?(。|\.(\s|$))/u)?.[0].trim() ?? summary;
}

function asksMoney(text: string): boolean {
  return MONEY.test(dialectSearchText(text));
}

/**
 * A wish to learn: 想学, 学门…, I want to learn, or a message that starts with 学 and what is learnt ("学电脑有补贴吗";
 * not 学费, 学历, 学徒, 学完了).
 */
const LEARN =
  /想学|要学|去学|学个|学门|学点|学一门|学下|^\s*学(?![费历校生徒制习期位时完了好成会过])|\b(learn|learning|study|train as)\b/i;

/** Wants to learn something: names a trade, or says 想学 / 学门手艺 / I want to learn. */
function wantsToLearn(text: string, u: Parameters<IntentRoute>[1]): boolean {
  return tradeNamed(u) || LEARN.test(text);
}

/** In the middle of a course search for a trade ("我想学电焊" → "您在哪个县区？" → "要交钱不"). */
function searchingForTrade(turn: Turn): boolean {
  return turn.leftFlow === 'profile' && turn.person.interests.length > 0;
}

function offersClauses(turn: Turn): boolean {
  return turn.session.choices.some((c) => c.action.type === 'clause');
}

/**
 * Nothing in the plan answers it well enough: said plainly ("I found nothing in the plan that answers this"),
 * with where such questions go, a person, the nearest clause if there is one, and courses.
 */
function abstain(
  turn: Turn,
  policy: PolicyKnowledge,
  nearest: string | undefined,
  referral = policy.referrals.find(turn.text),
): void {
  turn.intent = 'policy.ask';
  turn.answer = 'abstain';
  const hotline = turn.t('policy:hotline');
  const clause = nearest && !referral ? policy.index.clause(nearest) : undefined;
  const where = turn.t(`policy:referral.${referral ?? 'generic'}`, { hotline });
  turn.say(turn.t('policy:abstain', { document: policy.doc.shortTitle[turn.locale], where }), [
    {
      label: turn.t('policy:choice.human', { hotline }),
      action: { type: 'intent', intent: 'handoff.human' },
    },
    ...(clause
      ? [
          {
            label: turn.t('policy:nearest', { topic: clause.topic?.[turn.locale] ?? clause.heading }),
            action: { type: 'clause' as const, id: clause.id },
          },
        ]
      : []),
    { label: turn.t('policy:choice.courses'), action: { type: 'intent', intent: 'course.search' } },
  ]);
}

/** A question that names no subject ("有补贴吗", "要什么条件"): which part of the plan is it about? */
function askWhatAbout(turn: Turn, policy: PolicyKnowledge): void {
  turn.intent = 'policy.ask';
  turn.answer = 'clarify';
  turn.say(
    turn.t('policy:whatAbout', { document: policy.doc.shortTitle[turn.locale] }),
    TOPIC_EXAMPLES.map((key) => {
      const question = turn.t(`policy:examples.${key}`);
      return { label: question, action: { type: 'say', text: question } };
    }),
  );
}

const TOPIC_EXAMPLES = ['free', 'poor', 'apprentice', 'twoAfter', 'startup'] as const;

/** Words any policy question is made of; what is left names its subject (创业, 学徒, 两后生, 农民工 …). */
const QUESTION_ONLY =
  /那么?|如果|要是|还有|另外|请问|我们?|你们?|想|要|需要|得|有|没有|没得|没|吗|呢|嘛|啊|哦|什么|啥|哪样|哪些|哪个|哪里|在哪|多少|好多|几|怎么|咋个?|啷个|如何|能|可以|可不可以|能不能|不|是|的|了|条件|资格|要求|钱|费用?|补贴|补助|补|申请|办理?|谁|人|时间|由|部门|单位|负责|牵头|管|一年|参加|次|时候|啥时|什么时候|去|找|\b(what|which|who|when|where|how|much|many|is|are|there|any|the|a|an|i|we|you|do|does|can|could|need|to|of|for|get|apply|conditions?|requirements?|subsid(y|ies)|money|costs?|fees?|free|eligible|and|about|then|so|responsible|department|departments|office|offices|bureau|agency|charge|in|on|by|with|from|times|year|per|at|least|most|minimum|maximum|often|usually)\b|[\s\p{P}\p{S}\p{N}]/giu;

function namesSubject(text: string): boolean {
  // Dialect asking words (咋个, 哪点, 要得不) are read as their standard twins, which name nothing either.
  return dialectSearchText(text).replace(QUESTION_ONLY, '').length >= 2;
}
