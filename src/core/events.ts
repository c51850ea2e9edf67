/** Domain events a turn can emit; `converse --jsonl` prints them and tests assert on them. */
export type DomainEvent =
  | { type: 'enrolled'; course: string; position?: undefined }
  | { type: 'waitlisted'; course: string; position: number }
  | { type: 'cancelled'; course: string }
  | { type: 'promoted'; course: string; person?: string }
  | { type: 'profile_updated'; fields: string[] }
  | { type: 'data_deleted' }
  | { type: 'locale_changed'; locale: string }
  | { type: 'handoff_requested' }
  | { type: 'broadcast_sent'; course: string; recipients: number; groups: number };
