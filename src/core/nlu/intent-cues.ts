/**
 * Concept cues: one pseudo-feature per idea, whatever the wording or language, so "补贴", "补助" and
 * "subsidy" all also count as %money. They let few examples cover many phrasings and let Chinese and
 * English examples teach each other. Text is normalised (lower-case, NFKC) before these run.
 */
const CUES: readonly (readonly [string, RegExp])[] = [
  [
    '%money',
    /钱|费|补贴|补助|补帖|补多少|补几|免费|收费|报销|贷款|奖励|奖金|工资|\bfree\b|\bcosts?\b|\bfees?\b|\bpay|subsid|allowance|\bmoney\b|\bloan\b|\bbonus/,
  ],
  [
    '%eligible',
    /条件|资格|要求|能不能参加|可以参加|能参加|能享受|能报不|限制|eligib|qualif|requirement|who can|age limit|covered/,
  ],
  ['%policy', /政策|规定|文件|标准|扶持|优惠|政府|国家|policy|policies|government|rules?\b/],
  ['%course', /课|班|培训|技术|手艺|class|course|training|lesson|programme|program\b/],
  ['%learn', /学|learn|study|studying|teach/],
  ['%where_when', /哪里|哪点|哪儿|在哪|附近|什么时候|啥时候|几号|几月|where|when|near/],
  [
    '%enrol',
    /报名|报个名|把名报|报上|报了|报一个|报这个|报那个|报第|报电|报焊|报厨|登记|算我一个|加我|sign(?:ed)? (?:me )?up|regist|enrol|enroll|\bjoin|\bapply|\bbook|count me in|put me down|add me|reserve/,
  ],
  [
    '%cancel',
    /取消|退出|退课|退班|退训|退报名|退名|退掉|退了|撤销|撤回|放弃|不去了|去不了|去不成|不参加|参加不了|不报了|不学了|不想学|不上了|不想去|不想参加|不能参加|就算了|让给别人|cancel|withdraw|\bquit|\bdrop\b|unenrol|can'?t (?:make|come|attend)|won'?t (?:attend|be coming|come)|not (?:going|coming)|don'?t want to go|remove me|take me off/,
  ],
  [
    '%mine',
    /我报|我(?!想|要)[^，,。？?朋友同学表堂他她]{0,6}报的名(?!额)|我的|我参加|我是不是|我排|\bmy\b|am i\b|did i\b|have i\b/,
  ],
  [
    '%human',
    /人工|真人|工作人员|客服|活人|负责人|领导|管事|投诉|举报|提意见|(喊|叫|派|换)(个|一个)人|(机器|机器人).{0,3}(说不清|说不明白|讲不清|听不懂)|\bhuman|(?<!\b(?:per|each|every|one) )\bperson\b|\bstaff\b(?!\s+(?:education|training|funds?|skills?|costs?|development|welfare|quarters|canteen))|\bagent|(?<!(?:excavator|forklift|crane|machine|equipment|loader|drone) )\boperator\b|someone|somebody|complain|feedback/,
  ],
  ['%contact', /电话|联系|call me|phone number|contact/],
  ['%language', /英文|英语|中文|汉语|普通话|english|chinese|mandarin|language/],
  // Asking the bot to speak another language, not only naming one ("teach English in China", "英语培训班").
  [
    '%switch_language',
    /(?:说|讲|用|换|切换|切|转|改|回复|回答)(?:成|到|回|为|个)?(?:英文|英语|中文|汉语|普通话|中国话|简体中文)(?!教|上课|讲课|授课|培训|的班|班)|(?:英文|英语|中文|汉语)(?:模式|版)|(?:换|切换|改)\S{0,2}语言|^\s*(?:in\s+)?(?:英文|英语|中文|汉语|普通话|english|chinese|mandarin)\s*(?:吧|呢|可以吗|please|pls|plz)?[\s.!?。！？]*$|^\s*(?:我)?(?:看不懂|不会|不懂|听不懂)(?:英文|英语|中文|汉语)[\s,，。!！]*(?:换中文|用中文|说中文)?[\s.!?。！？]*$|^\s*(?:我)?(?:要|想|不要)看?(?:英文|英语|中文)(?:的|版)?[\s.!?。！？]*$|\b(?:you|u|please|pls|plz)\b[^.?!]{0,15}\b(?:speak|reply|respond|answer|talk|write|use|switch|change)\b[^.?!]{0,12}\b(?:english|chinese|mandarin)\b|^\s*(?:please |pls )?(?:speak|reply|respond|answer|talk|write|switch|change|use)\b[^.?!]{0,12}\b(?:english|chinese|mandarin)\b|^\s*i (?:prefer|don'?t read|can'?t read|cannot read) (?:english|chinese)[\s.!]*$|\b(?:english|chinese|mandarin)\s+(?:please|pls|plz|version|mode)\b|\b(?:change|switch|set)\b[^.?!]{0,12}\blanguage\b|^\s*language\s*$/,
  ],
  [
    '%delete',
    /删|注销|清除|清空|销毁|delete|erase|wipe|forget (?:me|my)|remove my (?:data|info|personal|id|phone)|get rid of my/,
  ],
  [
    '%personal_data',
    /信息|资料|数据|记录|身份证|账号|账户|授权|\bdata\b|information|\binfo\b|records?\b|account|details|profile|consent/,
  ],
  [
    '%greet',
    /^(?:你好|您好|你们好|大家好|嗨|哈喽|哈罗|早(?:上好|安|啊|呀)?[!！。.~]*$|喂|在吗|在不在|在么|在的吗|有人(?:吗|在|嘛|没|不|呢|[?？]|$)|谢|多谢|感谢|再见|拜拜|晚安|hi\b|hiya|hello|hey|howdy|greetings|morning|good (?:morning|afternoon|evening|day)|thank|thanks|thx|cheers|bye|goodbye|see you)|(?:any|some)(?:one|body) there|谢谢|拜拜$/,
  ],
  [
    '%help',
    /帮助|菜单|功能|怎么用|咋个用|怎么操作|使用|说明|教程|你是谁|干嘛的|干什么的|能干啥|能做什么|能帮我|有什么用|可以问|\bhelp\b|menu|what can (?:you|i)|what are you able|who are you|features|services|how (?:do|does|to) (?:i )?use|how (?:does )?(?:this|it) work|options|instructions|tutorial|guide me|confused/,
  ],
];

/** Fires when no cue does; it is evidence for `unknown`, but not evidence that the text was understood. */
export const NO_CUE = '%none';

export function cueFeatures(norm: string): string[] {
  const out: string[] = [];
  for (const [name, pattern] of CUES) if (pattern.test(norm)) out.push(name);
  if (out.length === 0) out.push(NO_CUE);
  return out;
}
