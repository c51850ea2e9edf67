/** What someone can ask about one course, answered from its record. */
export const FACT_KINDS = [
  'duration',
  'hours',
  'start',
  'lodging',
  'address',
  'materials',
  'certificate',
  'phone',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/**
 * Short follow-up questions about a course, in standard Chinese, Yunnan speech and English. Each names the
 * fact, not the course: "学几天？", "包吃住不", "在哪上课", "要带什么", "发什么证", "how long is it".
 */
const CUES: Record<FactKind, RegExp> = {
  duration:
    /学?几天|多少天|学多久|培训多久|多长时间|几个月|[学培训]+多长|总共.*天|how long|how many days|duration|how many weeks/i,
  hours:
    /几点|上课时间|上课时段|每天.*(几个?小时|多久|多长)|一天.*(几个?小时|多久)|什么时候下课|作息|what time|hours|daily schedule|timetable/i,
  start:
    /哪天开[课班始]|什么时候开[课班始]|几号开[课班始]|开[课班]时间|when does it start|start date|when is the first/i,
  lodging:
    /包吃|包住|吃住|食宿|住宿|住哪|管饭|管吃|管住|吃饭|伙食|午饭|宿舍|lodging|accommodation|\bmeals?\b|\bfood\b|\b(lunch|breakfast|dinner)\b|\b(dorm|dormitory|board)\b|where (do|can|will) (i|we) (stay|sleep)/i,
  address:
    /在哪|哪里上课|哪儿上课|地址|地点|怎么去|怎么走|位置|地图|where is it|where is the|address|location|\bmap\b|how do i get/i,
  materials:
    /带什么|带啥|要带|准备什么|准备啥|需要准备|要准备|准备哪些|带哪些|哪些证件|什么证件|哪些材料|什么材料|what (do|should) i bring|what to bring|bring anything|materials/i,
  certificate: /什么证|发证|证书|拿证|有证|考证|certificate|qualification|diploma/i,
  phone: /电话|联系方式|联系谁|怎么联系|号码多少|phone|contact|call (you|them|someone)|number to call/i,
};

/**
 * Questions about signing up, the plan, one's own details or reaching a person: the fact words in them
 * ("人工电话", "contact a person") are not about the course.
 */
const NOT_A_FACT =
  /报名|补贴|政策|取消|删除|我的信息|过几天|再说|改|写错|填错|换号|人工|工作人员|客服|热线|投诉|sign up|subsid|policy|cancel|delete|change my|wrong|person|human|staff|agent|complain/i;

/** The facts a message asks about, in the order above; empty when it asks about none (or something else). */
export function factQuestion(text: string): FactKind[] {
  const s = text.normalize('NFKC').trim();
  if (!s || s.length > 40 || NOT_A_FACT.test(s)) return [];
  return FACT_KINDS.filter((kind) => CUES[kind].test(s));
}

/** Words a short question about a course is made of besides its fact ("在哪上课", "要带什么东西", "包吃住不"). */
const AROUND_A_FACT =
  /上课|下课|材料|东西|资料|证件|每天|一天|这个|那个|课|班|培训|学|要|什么|啥|哪些|多少|几|多久|联系|吗|呢|啊|嘛|噻|哦|不|的|了|去|我|请问|一下|\b(is|it|the|this|that|class|course|do|does|i|we|need|to|what|where|when|how|there|a|an|for|of|in|at)\b|[\s\p{P}\p{S}\d]/giu;

/**
 * Asks only about a course's fact, naming nothing else ("学几天？", "要带什么东西", "how long is it"); not
 * "公共实训基地建在哪里", which asks about something of its own.
 */
export function onlyAFact(text: string): boolean {
  const s = text.normalize('NFKC').trim();
  if (!factQuestion(s).length) return false;
  const left = ALL_CUES.reduce((rest, cue) => rest.replace(cue, ' '), s);
  return left.replace(AROUND_A_FACT, '').length < 2;
}

/** Every fact's cue, to take out all its matches. */
const ALL_CUES = FACT_KINDS.map((kind) => new RegExp(CUES[kind].source, 'gi'));
