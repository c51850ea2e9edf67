import type { CancelOutcome, EnrolmentRepository, PeopleRepository } from '../ports';

/**
 * PIPL deletion, the same from chat and from the console: the person's sign-ups not yet attended end first
 * (each freed seat goes to the next in line), then their personal data is wiped. Returns the cancellations.
 */
export async function erasePerson(
  deps: { enrolments: EnrolmentRepository; people: PeopleRepository },
  personId: string,
  now: Date,
): Promise<Extract<CancelOutcome, { status: 'cancelled' }>[]> {
  const cancelled: Extract<CancelOutcome, { status: 'cancelled' }>[] = [];
  for (const e of await deps.enrolments.listActive(personId, now)) {
    if (e.status === 'attended') continue;
    const outcome = await deps.enrolments.cancel(personId, e.course.code);
    if (outcome.status === 'cancelled') cancelled.push(outcome);
  }
  await deps.people.deleteData(personId);
  return cancelled;
}
