import { z } from 'zod';
import {
  type PolicyDocument,
  type PolicyQuestion,
  policyDocumentSchema,
  policyQuestionSchema,
} from './policy-schema';

export class PolicyDataError extends Error {
  override name = 'PolicyDataError';
}

function parseJson(jsonText: string, what: string): unknown {
  try {
    return JSON.parse(jsonText);
  } catch (error) {
    throw new PolicyDataError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Validates a policy file's text; the error names each bad field by its path (clauses[3].summary.en …). */
export function parsePolicyDocument(jsonText: string, sourceName = 'policy document'): PolicyDocument {
  const result = policyDocumentSchema.safeParse(parseJson(jsonText, sourceName));
  if (!result.success) {
    throw new PolicyDataError(`${sourceName} is invalid:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Parses an evaluation file: one JSON object per line, blank lines ignored. */
export function parsePolicyQuestions(jsonl: string, sourceName = 'questions'): PolicyQuestion[] {
  return jsonl
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      const result = policyQuestionSchema.safeParse(parseJson(line, `${sourceName} line ${n}`));
      if (!result.success) {
        throw new PolicyDataError(`${sourceName} line ${n} is invalid:\n${z.prettifyError(result.error)}`);
      }
      return result.data;
    });
}
