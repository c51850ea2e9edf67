/**
 * Rewrites a question in the words of the clause answering it: a name of a trade or a group of people (月嫂,
 * 当兵的, 没考上) that the clause does not use becomes another name of the same trade or group the clause does
 * use (母婴护理, 退役军人, 两后生). Retrieval already reads the name so; the answer must too, or "有没有月嫂培训"
 * is told "the plan does not say" by the clause that lists 母婴护理 training. Only names of one thing are
 * swapped (the lexicon's), never the synonym table's looser phrases (证 → 职业技能等级认定 would make "技能证书能
 * 评职称吗" look answered). Names are tried longest first; a name the clause itself uses is left as it is.
 */
export type PlanWording = (question: string, clauseText: string) => string;

/** `names`: each a list of the Chinese names of one trade or group. */
export function createPlanWording(names: readonly (readonly string[])[]): PlanWording {
  const pairs = names
    .flatMap((same) => same.map((name) => ({ name, same })))
    .filter(({ name }) => Array.from(name).length >= 2 && /\p{Script=Han}/u.test(name))
    .sort((a, b) => b.name.length - a.name.length);
  return (question, clauseText) => {
    let out = question;
    for (const { name, same } of pairs) {
      if (!out.includes(name) || clauseText.includes(name)) continue;
      const used = same.find(
        (other) => other !== name && Array.from(other).length >= 2 && clauseText.includes(other),
      );
      if (used) out = out.replaceAll(name, used);
    }
    return out;
  };
}
