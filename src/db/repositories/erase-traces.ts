import { Prisma } from '../../generated/prisma/client';

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

/** `replace(replace(<column>, t1, '***'), t2, '***')…` over every trace. */
function replaced(column: Prisma.Sql, traces: readonly string[]): Prisma.Sql {
  return traces.reduce((text, t) => Prisma.sql`replace(${text}, ${t}, ${ERASED_MARK})`, column);
}

/** `strpos(<column>, t1) > 0 OR strpos(<column>, t2) > 0 …` */
function quotes(column: Prisma.Sql, traces: readonly string[]): Prisma.Sql {
  return Prisma.join(
    traces.map((t) => Prisma.sql`strpos(${column}, ${t}) > 0`),
    ' OR ',
  );
}

/**
 * Takes an erased person's name, phone and ID number out of texts written about or to other people: a
 * coordinator's absence notice ("赵小兰 can't come"), a broadcast that named them, a web chat inbox copy, the
 * free text of an audit entry. The text stays, each trace becomes ERASED_MARK. One pass over each table.
 * Run in the erasure's transaction, before the person's row is wiped.
 */
export async function scrubTraces(tx: Prisma.TransactionClient, traces: readonly string[]): Promise<void> {
  if (traces.length === 0) return;
  const text = Prisma.raw('text');
  const target = Prisma.raw('target');
  const message = Prisma.raw('message::text');
  const detail = Prisma.raw('detail::text');
  await tx.$executeRaw`UPDATE broadcasts SET text = ${replaced(text, traces)} WHERE ${quotes(text, traces)}`;
  await tx.$executeRaw`UPDATE web_inbox SET text = ${replaced(text, traces)} WHERE ${quotes(text, traces)}`;
  await tx.$executeRaw`UPDATE audit_log SET target = ${replaced(target, traces)} WHERE ${quotes(target, traces)}`;
  // Replacing inside a JSON value's text keeps it valid only if the trace has no quote, backslash or control.
  if (traces.every((t) => JSON_SAFE.test(t))) {
    await tx.$executeRaw`UPDATE deliveries SET message = ${replaced(message, traces)}::jsonb WHERE ${quotes(message, traces)}`;
    await tx.$executeRaw`UPDATE audit_log SET detail = ${replaced(detail, traces)}::jsonb WHERE ${quotes(detail, traces)}`;
  } else {
    await tx.$executeRaw`UPDATE deliveries SET message = NULL WHERE ${quotes(message, traces)}`;
    await tx.$executeRaw`UPDATE audit_log SET detail = NULL WHERE ${quotes(detail, traces)}`;
  }
}
