import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { allText, person, testRuntime } from '../support/converse';

/**
 * A question with no subject ("要钱不") is answered with a clarifying question and suggested questions. Picking
 * one — by its number, a button tap, or its words — answers that question from the plan, with its citation.
 */
let runtime: Runtime;
beforeAll(async () => {
  runtime = await testRuntime();
});
afterAll(async () => {
  await runtime.close();
});

describe('suggested questions after a clarifying question', () => {
  it('answers the suggested question whose number the person types', async () => {
    const p = person(runtime, 'suggest-number');
    const asked = await p.say('要钱不');
    expect(asked.answer).toBe('clarify');
    const choices = asked.replies.at(-1)?.choices ?? [];
    const apprentice = choices.findIndex((c) => c.includes('学徒'));
    expect(apprentice).toBeGreaterThanOrEqual(0);
    const answered = await p.say(String(apprentice + 1));
    expect(answered.answer).toBe('policy');
    expect(answered.citations[0]).toBeDefined();
    // The apprenticeship subsidy figure of the plan, verbatim.
    expect(allText(answered)).toContain('4000元');
  });

  it('answers a tapped suggestion the same way, and the first suggestion too', async () => {
    const p = person(runtime, 'suggest-tap');
    const asked = await p.say('有补贴吗');
    expect(asked.answer).toBe('clarify');
    const label = asked.replies.at(-1)?.choices?.[0] ?? '';
    const tapped = await p.say(label, 1);
    const typed = await person(runtime, 'suggest-typed').say(label);
    expect(tapped.answer).toBe(typed.answer);
    expect(tapped.citations).toEqual(typed.citations);
    expect(allText(tapped)).not.toContain('没有找到');
  });

  it('works in English', async () => {
    const p = person(runtime, 'suggest-en');
    const asked = await p.say('is there money for it?');
    if (asked.answer !== 'clarify') return expect(asked.citations.length).toBeGreaterThan(0);
    const answered = await p.say('1');
    expect(['policy', 'abstain']).toContain(answered.answer);
    expect(allText(answered)).not.toMatch(/\p{Script=Han}{4}/u);
  });
});

describe('a question where the profile questions expect an answer', () => {
  it('answers "能拿证不" as a question instead of taking it for "none of these" and listing courses', async () => {
    const p = person(runtime, 'profile-question');
    const asked = await p.say('我是镇雄的，想学电焊，有没得培训');
    expect(allText(asked)).toContain('多大');
    const r = await p.say('能拿证不');
    expect(r.intent).not.toBe('flow.profile');
    expect(allText(r)).not.toContain('这几个培训比较合适');
    // "没有" is still the answer it asks for: the profile questions end with the course search.
    const q = person(runtime, 'profile-none');
    await q.say('我是镇雄的，想学电焊，有没得培训');
    expect((await q.say('没有')).intent).toBe('flow.profile');
  });
});
