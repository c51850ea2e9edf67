/** Course codes look like ZX-DS-01 or ZY-SYB-01; people type them in any case, with spaces or full-width. */
const CODE = /(?<![A-Za-z])([A-Za-z]{2})\s*[-－_ ]\s*([A-Za-z]{2,4})\s*[-－_ ]\s*(\d{2})(?!\d)/;

export function findCourseCode(text: string): string | undefined {
  const m = CODE.exec(text.normalize('NFKC'));
  return m ? `${m[1]}-${m[2]}-${m[3]}`.toUpperCase() : undefined;
}
