/** 2–20 characters; a space or · may stand between parts ("欧阳 娜", "买买提·艾力"). */
const NAME = /^[\p{Script=Han}·•][\p{Script=Han}·• ]{0,18}[\p{Script=Han}·•]$|^[A-Za-z][A-Za-z .'-]{1,19}$/u;
/**
 * Words of a sentence, not of a name: "培训要钱吗", "我不想报了", "你好", "怎么报名" are not what someone is called.
 * Only particles, question words and whole words, never single characters that are also in names (李想, 张培华,
 * 王好, 钱有福) or English words that begin names ("My Linh", "I Made").
 */
const NOT_A_NAME =
  /[吗呢吧啊呀嘛哦嗯您么怎什哪谁]|培训|报名|不想|不要|不报|不用|怎么|什么|你好|谢谢|请问|多少|知道|可以|同意|取消|确认|确定|退出|返回|算了|改名|名字|删除|注销|信息|资料|请假|^(hello|hi|yes|no|ok|okay|thanks|thank you|cancel|stop|quit|agree|disagree)$/iu;
/** Saying no to giving the ID number, in other words than the consent buttons. */
export const DECLINE =
  /^(那|那我|我|我还是)?(不同意|不想|不要|不给|不愿意|算了|不报了|不提供|没有身份证)|^(no\b|don'?t|i don'?t want|i'd rather not)/i;
/** Yes to a consent question, typed. */
export const AGREE = /^(同意|好|可以|是|确认|yes|agree|ok|i agree)$/i;
/** "No phone" for a family member's optional phone. */
export const NO_PHONE = /^(没有|无|没|没手机|没有手机|不用|跳过|skip|none|no|no phone)$/i;

/** The name in an answer to "your (or their) real name?", or undefined when it does not read as a name. */
export function nameIn(text: string): string | undefined {
  const name = text
    .trim()
    .replace(/\s+/gu, ' ')
    .replace(
      /^(我叫|我是|她叫|他叫|叫|名字是|名字叫|姓名[:：]?|my name is|i am|i'm|her name is|his name is)\s*/i,
      '',
    );
  return NAME.test(name) && !NOT_A_NAME.test(name) ? name : undefined;
}

/** The commonest Chinese surnames (about nine in ten people), and compound ones. */
const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
]);
const COMPOUND_SURNAMES = /^(欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木)/u;
/** "她叫王小红", "名字是王小红": saying a name outright. */
const NAME_PREFIX =
  /^(我叫|我是|她叫|他叫|叫|名字是|名字叫|姓名[:：]?|(我|我的)?(女儿|儿子|爸爸|我爸|妈妈|我妈|老公|老婆|爱人)(叫|是))\s*/u;

/**
 * A name typed where a button was expected ("王小红" instead of pressing 报名这个班): only what plainly reads
 * as a person's name, a common surname and 1–3 more characters (or said outright, "她叫王小红"), so a
 * question like "包吃住不" or "在哪上课" is never taken for one.
 */
export function plainNameIn(text: string): string | undefined {
  const trimmed = text.trim();
  const said = NAME_PREFIX.test(trimmed);
  const name = nameIn(trimmed.replace(NAME_PREFIX, ''));
  if (!name) return undefined;
  if (said) return name;
  const han = name.replace(/[\s·•]/gu, '');
  if (!/^\p{Script=Han}{2,4}$/u.test(han)) return undefined;
  const surname = COMPOUND_SURNAMES.test(han) || SURNAMES.has(han[0]!);
  return surname && !/[不没吃住学课费钱天点哪几吗]$/u.test(han) ? name : undefined;
}
