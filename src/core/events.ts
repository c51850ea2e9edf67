import type { FamilyRelation } from './domain';

/** Domain events a turn can emit; `converse --jsonl` prints them and tests assert on them. */
export type DomainEvent =
  | { type: 'enrolled'; course: string; position?: undefined }
  | { type: 'waitlisted'; course: string; position: number }
  | { type: 'cancelled'; course: string }
  /** A proxy signed a family member up (the member, not the proxy, holds the seat or waitlist place). */
  | { type: 'family_enrolled'; course: string; relation: FamilyRelation; status: 'confirmed' | 'waitlisted' }
  | { type: 'family_cancelled'; course: string; relation: FamilyRelation }
  | { type: 'promoted'; course: string; person?: string }
  | { type: 'profile_updated'; fields: string[] }
  | { type: 'data_deleted' }
  | { type: 'locale_changed'; locale: string }
  | { type: 'handoff_requested' }
  | { type: 'broadcast_sent'; course: string; recipients: number; groups: number };
