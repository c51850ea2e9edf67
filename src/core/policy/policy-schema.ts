import { z } from 'zod';

/** Text in every locale the bot speaks; keys match `LOCALES` in core/domain.ts. */
export const localizedTextSchema = z.object({
  'zh-CN': z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const localizedTermsSchema = z.object({
  'zh-CN': z.array(z.string().trim().min(1)).min(1),
  en: z.array(z.string().trim().min(1)).min(1),
});

/** Clause IDs are short and stable (`intro`, `p1`, `s2`, `s2.2`): citations and logs print them. */
export const clauseIdSchema = z.string().regex(/^[a-z][a-z0-9]*(\.[0-9]+)*$/, 'clause id like "s2.2"');

export const policyClauseSchema = z.object({
  id: clauseIdSchema,
  /** The official numbering label as a citation prints it, e.g. "二(二)2". */
  ref: z.string().trim().min(1),
  /** Heading as it stands in the official text. */
  heading: z.string().trim().min(1),
  /** Set on numbered items: the clause that groups them. */
  parent: clauseIdSchema.optional(),
  /** Short label per locale, used where a heading is too long or in the wrong language (buttons). */
  topic: localizedTextSchema.optional(),
  /** The clause's original text, verbatim. */
  text: z.string().trim().min(1),
  /** Lead departments named in the clause (may be empty: the answer then points to the hotline). */
  departments: z.array(z.string().trim().min(1)),
  keywords: localizedTermsSchema,
  /**
   * Answers only a question that uses one of its keywords: the preamble naming the documents the plan rests
   * on shares the plan's whole title with it ("终身职业技能培训制度是啥" asks for the plan, not its basis).
   */
  keywordOnly: z.boolean().optional(),
  summary: localizedTextSchema,
});
export type PolicyClause = z.infer<typeof policyClauseSchema>;

/** One city's plan; a second city is a second file of the same shape in data/policies/. */
export const policyDocumentSchema = z
  .object({
    city: z.string().regex(/^[a-z][a-z0-9-]*$/, 'city slug like "zhaotong"'),
    cityName: localizedTextSchema.optional(),
    title: z.string().trim().min(1),
    /** How answers name the document, e.g. 《实施方案》 / "the Implementation Plan". */
    shortTitle: localizedTextSchema,
    issued: z.iso.date(),
    issuer: z.string().trim().min(1).optional(),
    source: z.string().trim().min(1),
    /** The clause that says what the plan as a whole sets out to do: "这个方案讲的什么" is answered from it. */
    overview: clauseIdSchema.optional(),
    clauses: z.array(policyClauseSchema).min(1),
  })
  .superRefine((doc, ctx) => {
    const ids = new Set<string>();
    doc.clauses.forEach((clause, i) => {
      if (ids.has(clause.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clauses', i, 'id'],
          message: `duplicate clause id "${clause.id}"`,
        });
      }
      ids.add(clause.id);
    });
    if (doc.overview !== undefined && !ids.has(doc.overview))
      ctx.addIssue({
        code: 'custom',
        path: ['overview'],
        message: `overview clause "${doc.overview}" does not exist`,
      });
    doc.clauses.forEach((clause, i) => {
      if (clause.parent !== undefined && !ids.has(clause.parent)) {
        ctx.addIssue({
          code: 'custom',
          path: ['clauses', i, 'parent'],
          message: `parent "${clause.parent}" of clause "${clause.id}" does not exist`,
        });
      }
    });
  });
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

/** One line of an evaluation file: a question and every clause that fairly answers it. */
export const policyQuestionSchema = z.object({
  q: z.string().min(1),
  clauses: z.array(clauseIdSchema).min(1),
  lang: z.enum(['zh-CN', 'en']),
});
export type PolicyQuestion = z.infer<typeof policyQuestionSchema>;
