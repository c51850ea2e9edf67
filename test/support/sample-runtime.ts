import { readFileSync } from 'node:fs';
import type { Runtime } from '../../src/app/compose';
import { idCheckChar } from '../../src/core/people/id-number';
import { SAMPLE_COURSES_FILE, seedDatabase } from '../../src/db/seed';
import { allText, person, testRuntime } from './converse';
import { isolatedDb } from './test-env';

/** The real runtime on a schema of its own holding exactly the sample Zhaotong courses. */
export async function sampleRuntime(tag: string): Promise<Runtime> {
  const { db, url } = await isolatedDb(tag);
  await seedDatabase(db, {
    now: new Date(),
    sampleJson: readFileSync(SAMPLE_COURSES_FILE, 'utf8'),
    timezone: 'Asia/Shanghai',
  });
  return testRuntime({ DATABASE_URL: url });
}

/** A valid 18-digit ID number (Zhenxiong region code, born 1990-01-01) with sequence `n`. */
export function validIdNumber(n: number): string {
  const first17 = `53062719900101${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17)!;
}

export function wrongCheckDigit(id: string): string {
  const last = id.at(-1) === '0' ? '1' : '0';
  return id.slice(0, 17) + last;
}

/** Signs a new person up for a real-name course by typing, as a worker would. Returns the last turn. */
export async function signUpByTyping(runtime: Runtime, who: string, code: string, n: number) {
  const p = person(runtime, who);
  const detail = await p.say(`报名 ${code}`);
  if (!allText(detail).includes(code)) throw new Error(`course ${code} not shown: ${allText(detail)}`);
  await p.say('1');
  await p.say(`测试${'甲乙丙丁戊己庚辛壬癸'[n % 10]}`);
  await p.say(`1380000${String(n).padStart(4, '0')}`);
  await p.say('同意');
  return { p, last: await p.say(validIdNumber(n)) };
}
