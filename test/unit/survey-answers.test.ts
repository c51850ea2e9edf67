import { describe, expect, it } from 'vitest';
import { employmentDueAt, parseEmploymentAnswer, parseRating } from '../../src/core/outcomes/surveys-answers';

/** Typed answers to the satisfaction question and the employment follow-up (docs/surveys.md). */
describe('typed survey answers', () => {
  it.each([
    ['5', 5],
    ['５', 5],
    ['五分', 5],
    ['打4分', 4],
    ['很满意', 5],
    ['非常满意！', 5],
    ['满意', 4],
    ['我觉得还不错', 4],
    ['一般', 3],
    ['一般般吧', 3],
    ['还行', 3],
    ['不满意', 2],
    ['很不满意', 1],
    ['★★★', 3],
    ['very satisfied', 5],
    ['Average', 3],
    ['dissatisfied', 2],
  ])('reads %s as %d', (text, rating) => {
    expect(parseRating(text)).toBe(rating);
  });

  it.each(['好的', '6', '0', '', '老师讲得很好但是时间太短了', '补贴什么时候发', '👍'])(
    'does not read %s as a rating',
    (text) => {
      expect(parseRating(text)).toBeUndefined();
    },
  );

  it.each([
    ['已经上班了', 'employed'],
    ['我找到工作了', 'employed'],
    ['在厂里打工', 'employed'],
    ['I have a job', 'employed'],
    ['自己开了个店', 'self_employed'],
    ['在做生意', 'self_employed'],
    ['自主创业', 'self_employed'],
    ['还在找工作', 'looking'],
    ['没找到工作', 'looking'],
    ['still looking', 'looking'],
    ['不找了', 'not_looking'],
    ['在家带孩子', 'not_looking'],
    ['not looking', 'not_looking'],
  ])('reads %s as %s', (text, answer) => {
    expect(parseEmploymentAnswer(text)).toBe(answer);
  });

  it('is due on the same local date N months later, the end of a short month kept', () => {
    const done = new Date('2026-08-31T02:00:00Z'); // 10:00 on 31 August in Zhaotong
    expect(employmentDueAt(done, 3, 'Asia/Shanghai').toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(employmentDueAt(done, 6, 'Asia/Shanghai').toISOString()).toBe('2027-02-28T02:00:00.000Z');
  });
});
