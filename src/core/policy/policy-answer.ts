import type { Locale } from '../domain';
import type { Translate } from '../i18n';
import type { PolicySearchResult } from './policy-index';
import { POLICY_CONFIDENCE_THRESHOLD } from './policy-index';
import type { PolicyClause, PolicyDocument } from './policy-schema';

export interface PolicyAnswerInput {
  results: readonly Pick<PolicySearchResult, 'clauseId'>[];
  confidence: number;
  doc: PolicyDocument;
  locale: Locale;
  t: Translate;
  threshold?: number;
}

/** What a choice under an answer leads to; the dialog maps it to an action. */
export interface PolicyChoice {
  label: string;
  kind: 'courses' | 'signUp' | 'human' | 'clause';
  clauseId?: string;
}

export interface PolicyAnswer {
  text: string;
  choices: PolicyChoice[];
  /** Clause IDs the answer relies on (empty when the bot was not sure). */
  citations: string[];
}

/** Departments named in an answer; a clause may list many, the first ones lead. */
const MAX_DEPARTMENTS = 3;
/** Headings longer than this make poor buttons; the short topic is shown instead. */
const MAX_CHOICE_HEADING = 24;

function choiceLabel(clause: PolicyClause, locale: Locale): string {
  if (locale === 'zh-CN') {
    return Array.from(clause.heading).length <= MAX_CHOICE_HEADING
      ? clause.heading
      : (clause.topic?.['zh-CN'] ?? clause.heading);
  }
  return clause.topic?.[locale] ?? clause.heading;
}

function confident(clause: PolicyClause, doc: PolicyDocument, locale: Locale, t: Translate): PolicyAnswer {
  const hotline = t('policy:hotline');
  const citation = t('policy:answer.citation', {
    document: doc.shortTitle[locale],
    ref: clause.ref,
    heading: clause.heading,
    topic: clause.topic?.[locale] ?? clause.heading,
  });
  const departments = clause.departments
    .slice(0, MAX_DEPARTMENTS)
    .map((name) => t(`policy:department.${name}`, { defaultValue: name }))
    .join(t('policy:listSeparator'));
  const contact = departments
    ? t('policy:answer.contactDepartments', { departments, hotline })
    : t('policy:answer.contactHotline', { hotline });
  return {
    text: [clause.summary[locale], citation, contact].join('\n'),
    choices: [
      { label: t('policy:choice.courses'), kind: 'courses' },
      { label: t('policy:choice.signUp'), kind: 'signUp' },
      { label: t('policy:choice.human', { hotline }), kind: 'human' },
    ],
    citations: [clause.id],
  };
}

/**
 * Turns search results into a reply. Above the confidence threshold: the clause summary in the user's
 * language, the citation and whom to contact. Below it: say so, and offer the two closest clauses.
 */
export function composePolicyAnswer(input: PolicyAnswerInput): PolicyAnswer {
  const { results, confidence, doc, locale, t } = input;
  const threshold = input.threshold ?? POLICY_CONFIDENCE_THRESHOLD;
  const byId = new Map(doc.clauses.map((c) => [c.id, c]));
  const found = results.flatMap((r) => {
    const clause = byId.get(r.clauseId);
    return clause ? [clause] : [];
  });
  const best = found[0];
  if (best && confidence >= threshold) return confident(best, doc, locale, t);

  const hotline = t('policy:hotline');
  const document = doc.shortTitle[locale];
  const options = found
    .slice(0, 2)
    .map((c): PolicyChoice => ({ label: choiceLabel(c, locale), kind: 'clause', clauseId: c.id }))
    .filter((o, i, all) => all.findIndex((x) => x.label === o.label) === i);
  return {
    text: t(options.length > 0 ? 'policy:notSure.withOptions' : 'policy:notSure.noOptions', { document }),
    choices: [...options, { label: t('policy:choice.human', { hotline }), kind: 'human' }],
    citations: [],
  };
}
