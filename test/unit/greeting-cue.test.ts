import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/app/knowledge';

const intentOf = (text: string) => loadKnowledge().nlu.understand(text).intent;

describe('greetings are greetings only when that is all the message says', () => {
  it('takes 有人吗 / 早上好 / 在吗 as greetings', () => {
    for (const text of ['有人吗', '有人在吗', '早上好', '早', '在吗'])
      expect(intentOf(text), text).toBe('greeting');
  });

  it('does not take a question that starts like one for a greeting (有人来教不, 早上几点上课)', () => {
    for (const text of ['有人来教不', '有人管这个事没得', '早上几点上课'])
      expect(intentOf(text), text).not.toBe('greeting');
  });
});
