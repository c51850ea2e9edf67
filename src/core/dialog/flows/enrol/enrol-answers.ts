/** 2–20 characters; a space or · may stand between parts ("欧阳 娜", "买买提·艾力"). */
const NAME = /^[\p{Script=Han}·•][\p{Script=Han}·• ]{0,18}[\p{Script=Han}·•]$|^[A-Za-z][A-Za-z .'-]{1,19}$/u;
/**
 * Words of a sentence, not of a name: "培训要钱吗", "我不想报了", "你好", "怎么报名" are not what someone is called.
 * Only particles, question words and whole words, never single characters that are also in names (李想, 张培华,
 * 王好, 钱有福) or English words that begin names ("My Linh", "I Made").
 */
const NOT_A_NAME =
  /[吗呢吧啊呀嘛哦嗯您么怎什哪谁]|培训|报名|不想|不要|不报|不用|怎么|什么|你好|谢谢|请问|多少|知道|可以|同意|取消|确认|确定|退出|返回|算了|改名|名字|删除|注销|^(hello|hi|yes|no|ok|okay|thanks|thank you|cancel|stop|quit|agree|disagree)$/iu;
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
