/** Complaints' tracking numbers: TS-<year>-<six-digit running number>, e.g. TS-2026-000123. */
export function trackingNumber(year: number, seq: number): string {
  return `TS-${year}-${String(seq).padStart(6, '0')}`;
}

const TRACKING = /\bTS[\s-]*(\d{4})[\s-]*(\d{1,9})\b/i;

/** The tracking number a message mentions ("投诉 ts-2026-123 进度", "my complaint TS 2026 000123"), normalised. */
export function findTrackingNumber(text: string): string | undefined {
  const match = TRACKING.exec(text.normalize('NFKC'));
  if (!match) return undefined;
  return trackingNumber(Number(match[1]), Number(match[2]));
}
