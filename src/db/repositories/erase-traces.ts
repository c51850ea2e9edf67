import type { Prisma } from '../../generated/prisma/client';

/** What stands where an erased person's name, phone or ID number was quoted in someone else's text. */
export const ERASED_MARK = '***';

/** A text that could be in a stored message, broadcast or audit entry and would name the person. */
export function tracesOf(person: {
  realName: string | null;
  phone: string | null;
  idNumber: string | undefined;
}): string[] {
  const traces = [person.realName?.trim(), person.phone, person.idNumber, person.idNumber?.toLowerCase()];
  // A one-character "name" would match half of all Chinese text; the sign-up never accepts one anyway.
  return [...new Set(traces.filter((t): t is string => Boolean(t && Array.from(t).length >= 2)))];
}

/** Safe to replace inside the text form of a JSON value without breaking it: no quote, backslash or control. */
const JSON_SAFE = /^[^"\\\u0000-\u001f]+$/u;

/**
 * Statements that take an erased person's name, phone and ID number out of texts written about or to other
 * people: a coordinator's absence notice ("赵小兰 can't come"), a broadcast that named them, a web chat inbox
 * copy, the free text of an audit entry. The text stays, the trace becomes ERASED_MARK.
 * Run in the erasure's transaction, before the person's row is wiped.
 */
export async function scrubTraces(tx: Prisma.TransactionClient, traces: readonly string[]): Promise<void> {
  for (const trace of traces) {
    await tx.$executeRaw`UPDATE broadcasts SET text = replace(text, ${trace}, ${ERASED_MARK}) WHERE strpos(text, ${trace}) > 0`;
    await tx.$executeRaw`UPDATE web_inbox SET text = replace(text, ${trace}, ${ERASED_MARK}) WHERE strpos(text, ${trace}) > 0`;
    await tx.$executeRaw`UPDATE audit_log SET target = replace(target, ${trace}, ${ERASED_MARK}) WHERE strpos(target, ${trace}) > 0`;
    if (JSON_SAFE.test(trace)) {
      await tx.$executeRaw`UPDATE deliveries SET message = replace(message::text, ${trace}, ${ERASED_MARK})::jsonb WHERE strpos(message::text, ${trace}) > 0`;
      await tx.$executeRaw`UPDATE audit_log SET detail = replace(detail::text, ${trace}, ${ERASED_MARK})::jsonb WHERE strpos(detail::text, ${trace}) > 0`;
    } else {
      await tx.$executeRaw`UPDATE deliveries SET message = NULL WHERE strpos(message::text, ${trace}) > 0`;
      await tx.$executeRaw`UPDATE audit_log SET detail = NULL WHERE strpos(detail::text, ${trace}) > 0`;
    }
  }
}
