import type { FamilyRelation } from '../../domain';

/** Words for each family member, as people in Zhaotong write them (老汉 is "my dad" in the local speech). */
const WORDS: ReadonlyArray<readonly [FamilyRelation, string]> = [
  ['daughter', '女儿|闺女|姑娘|daughter'],
  ['son', '儿子|son'],
  ['father', '爸爸|爸|父亲|老爸|老汉|爹|dad|father|daddy'],
  ['mother', '妈妈|妈|母亲|老妈|娘|mum|mom|mother|mommy'],
  ['spouse', '老婆|妻子|媳妇|爱人|老公|丈夫|wife|husband|spouse'],
  [
    'other',
    '孩子|娃娃|娃|弟弟|妹妹|哥哥|姐姐|孙子|孙女|侄子|侄女|外甥|亲戚|家人|brother|sister|child|kid|grandson|granddaughter|nephew|niece|relative',
  ],
];

/**
 * Who a sign-up is for, when it is not the person writing: "帮我女儿报名", "给我爸报个名", "替我老婆报",
 * "我儿子想报名", "sign up my daughter". Only such phrasings count: "我女儿在上学" alone says nothing about a
 * sign-up, and "我爸说让我报名" is the writer's own (the member has to be the one helped or wanting).
 * Text is normalised (lower case, NFKC).
 */
export function extractRelation(text: string): FamilyRelation | undefined {
  for (const [relation, words] of WORDS) {
    const zhHelp = new RegExp(`(?:帮|给|替|为|代)\\s*(?:我|我们|俺)?(?:家|的)?\\s*(?:${words})`, 'u');
    const zhWants = new RegExp(
      `(?:我|俺)(?:家|的)?\\s*(?:${words})\\s*(?:想|要|也想|也要)\\s*(?:报|参加|学)`,
      'u',
    );
    const en = new RegExp(
      `\\b(?:for|up|enrol|enroll|register)\\s+(?:my|our)\\s+(?:${words})\\b|\\bmy\\s+(?:${words})\\s+(?:wants|would like|'d like)\\s+to\\s+(?:sign|enrol|enroll|join|register)`,
      'u',
    );
    if (zhHelp.test(text) || zhWants.test(text) || en.test(text)) return relation;
  }
  return undefined;
}
