/**
 * Resident ID candidates: 17 digits + a digit or X (18 chars), or the old 15-digit form. Shape only; the
 * check digit and birth date are validated by core/people.
 */
const ID_CANDIDATE = /(?<![\da-z])(\d{17}[\dx]|\d{15})(?![\da-z])/i;

export function extractIdNumber(text: string): string | undefined {
  return text.match(ID_CANDIDATE)?.[1]?.toUpperCase();
}
