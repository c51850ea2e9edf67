import { describe, expect, it } from 'vitest';
import { looksLikeQuestion } from '../../src/core/dialog/question-words';

describe('what makes a message a question', () => {
  it('reads Yunnan endings and a bare 哪 as questions', () => {
    for (const text of ['有培训没得', '当兵回来莫得手艺，有培训没得', '老板拖欠工资去哪告']) {
      expect(looksLikeQuestion(text), text).toBe(true);
    }
  });

  it('does not read 哪怕 or a plain "we have none" as a question', () => {
    for (const text of ['哪怕没补贴也行', '我们家穷，钱都莫得'])
      expect(looksLikeQuestion(text), text).toBe(false);
  });
});
