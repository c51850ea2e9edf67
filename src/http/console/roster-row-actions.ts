import type { RosterRow } from '../../services/roster.service';

/** A sign-up as the roster service reads it (its course's `enrolments`, each with its person). */
interface SignUp {
  id: string;
  status: string;
  waitlistPosition: number | null;
  source: string;
  createdAt: Date;
  person: { realName: string | null; phone: string | null; deletedAt: Date | null };
}

export interface RowAction {
  enrolmentId: string;
  deleted: boolean;
}

const keyOf = (
  name: string,
  phone: string,
  status: string,
  position: number | null | undefined,
  source: string,
  at: Date,
) => JSON.stringify([name, phone, status, position ?? null, source, at.getTime()]);

/**
 * Finds the sign-up behind each roster row (rows carry no ID, and are sorted), by everything a row shows. Two
 * sign-ups a row cannot tell apart get no action: better none than one on the wrong person.
 */
export function rowActions(signUps: readonly SignUp[]): (row: RosterRow) => RowAction | undefined {
  const byKey = new Map<string, RowAction | null>();
  for (const e of signUps) {
    const key = keyOf(
      e.person.realName ?? '',
      e.person.phone ?? '',
      e.status,
      e.waitlistPosition,
      e.source,
      e.createdAt,
    );
    byKey.set(key, byKey.has(key) ? null : { enrolmentId: e.id, deleted: Boolean(e.person.deletedAt) });
  }
  return (r) =>
    byKey.get(keyOf(r.name, r.phone, r.status, r.waitlistPosition, r.source, r.enrolledAt)) ?? undefined;
}
