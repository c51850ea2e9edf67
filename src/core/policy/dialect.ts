/**
 * Zhaotong / Yunnan (Southwest Mandarin) ways of asking, put in standard Mandarin before the plan is searched,
 * so a dialect question finds the clause its standard twin finds: 咋个考 → 怎么考, 哪点 → 哪里, 啥子 → 什么,
 * 有没得 → 有没有, 要得不 / 整得成不 → 可以吗, 屋头 → 家, 整个小生意 → 做个小生意, 学门手艺 → 学手艺.
 * A how-to question about claiming money ("补贴钱咋个领", "钱去哪点领") is asked as what the plan calls it
 * (申领补贴). Pure: no I/O; the user's own words are kept for the answer, only the search reads these.
 */

/** How a question is put, word for word: [dialect, standard]; applied in this order. */
const WORDS: readonly [RegExp, string][] = [
  // Yes/no tails: 要得不 / 整得成不 / 得不得 / 搞得成不 → 可以吗; 有没得/有莫得 → 有没有; 没得 → 没有 (莫得 alone stays: "退伍回来莫得工作" is about veterans, not 失业).
  [/(整|搞|弄|办)得成不|(整|搞|弄|办)得成吗/gu, '可以吗'],
  [/要得不|要不要得|得不得|行得不|(?<!不)要得吗/gu, '可以吗'],
  [/有没得|有得没得|有莫得/gu, '有没有'],
  [/没得/gu, '没有'],
  // Cost: 要得钱不 → 要钱不.
  [/要得钱/gu, '要钱'],
  // How: 咋个 / 啷个 / 咋子 / 咋 → 怎么 (咋个整 / 咋整 / 啷个办 → 怎么办).
  [/(咋个|啷个|咋子|咋)(整|办|搞|弄)(?![\p{Script=Han}])/gu, '怎么办'],
  [/咋个|啷个|咋子|咋/gu, '怎么'],
  // Where: 哪点 / 哪块 / 哪哈 / 哪堂 → 哪里.
  [/哪点|哪块|哪哈|哪堂/gu, '哪里'],
  // What: 啥子 / 哪样 (Yunnan "what") → 什么; 好多钱 → 多少钱.
  [/啥子|哪样/gu, '什么'],
  [/好多(钱|次|回|天|年|块)/gu, '多少$1'],
  // Home: 屋头 / 屋里头 → 家.
  [/屋里头|屋头/gu, '家'],
  // 整 / 搞 as "do, set up": 整个小生意 → 做个小生意 (not 整体, 整合, 整改, 整顿).
  [/(整|搞)(个|点|些|门)(?=\p{Script=Han})/gu, '做$2'],
  // A measure word between 学 and its object: 学门手艺 / 学个技术 / 学点本事 → 学手艺 / 学技术 / 学本事.
  [/学(门|个|点|些)(?=\p{Script=Han}{2})/gu, '学'],
  // A certificate named by its holder: 技师证 / 电工证 / 育婴员证 → 技师 证书 (not 身份证, 营业执照).
  [/(师|工|员|级|嫂)证(?![书明件据券])/gu, '$1 证书'],
  // 国家政策 / 国家政府 are 国家 + 政策, never 家政 (housekeeping) inside them.
  [/国家(?=政策|政府|政治)/gu, '国家 '],
];

/**
 * Asking how to get the training subsidy the plan pays: 补贴(钱)咋个领 / 钱去哪里领 → the plan's 申领补贴 (not
 * 补助 or 发放: 创业补助 and how money is paid out are other matters).
 */
const CLAIM_MONEY =
  /(补贴|钱)[^，。？?！!,.\s]{0,4}?(怎么|如何|怎样|去哪里?|哪里|在哪里?|到哪里?|找谁)(领|拿|申领|申请|兑现)/u;

/**
 * The last text read and its standard form: one turn asks for the same message's reading several times (the
 * route's checks, the question's kind, the plan search), and the replacements are the costly part.
 */
let last: { text: string; standard: string } | undefined;

/** The message in standard Mandarin; text without dialect comes back unchanged. */
export function standardizeDialect(text: string): string {
  if (last?.text === text) return last.standard;
  let out = text;
  for (const [pattern, standard] of WORDS) out = out.replace(pattern, standard);
  last = { text, standard: out };
  return out;
}

/** What the plan is searched for: the message in standard Mandarin, with 申领补贴 when it asks how to claim. */
export function dialectSearchText(text: string): string {
  const out = standardizeDialect(text);
  return CLAIM_MONEY.test(out) && !out.includes('申领补贴') ? `${out} 申领补贴` : out;
}
