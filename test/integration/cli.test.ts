import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../support/test-env';

const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;

function jineng(args: string[], input = '', env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input,
    encoding: 'utf8',
    timeout: 110_000,
    env: cliEnv('cli', env),
  });
  const lines = result.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  return { ...result, lines };
}

describe('jineng converse --jsonl', () => {
  it('prints one JSON line per input line, keeping one session per user', () => {
    const input = [
      { user: 'a', text: '你好' },
      { user: 'b', text: 'hello' },
      { user: 'a', text: '5' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const { lines, status, stderr } = jineng(['converse', '--jsonl'], input);
    expect(status, stderr).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ user: 'a', intent: 'greeting', events: [] });
    expect(lines[0].replies[0].choices).toHaveLength(5);
    expect(lines[1].replies[0].text).toMatch(/Hello/);
    expect(lines[2]).toMatchObject({
      user: 'a',
      intent: 'language.switch',
      events: [{ type: 'locale_changed', locale: 'en' }],
    });
  });

  it('answers a malformed line with an error line and carries on', () => {
    const { lines, status } = jineng(
      ['converse', '--jsonl'],
      'not json\n{"user":"a"}\n{"user":"c","text":"你好"}\n',
    );
    expect(status).toBe(0);
    expect(lines[0]).toHaveProperty('error');
    expect(lines[1]).toHaveProperty('error');
    expect(lines[2]).toMatchObject({ user: 'c', intent: 'greeting' });
  });
});

describe('jineng ask', () => {
  it('answers through the dialog: intent, answer kind, the cited answer, citations best first', () => {
    const { lines, status } = jineng(['ask', '--json', '学徒制企业能拿多少补贴']);
    expect(status).toBe(0);
    const [r] = lines;
    expect(r.intent).toBe('policy.ask');
    expect(r.answer).toBe('policy');
    expect(r.citations[0]).toBe('s2.2');
    expect(r.text).toContain('4000');
  });

  it('gives a course wish the course search and the clause naming the trade, as the chat does', () => {
    const [r] = jineng(['ask', '--json', '我想学种天麻']).lines;
    expect(r.intent).toBe('course.search');
    expect(r.answer).toBe('both');
    expect(r.citations).toEqual(['s1.4']);
    expect(r.text).toContain('县区');
  });

  it('reads one question per line with --jsonl, each as a new person, and abstains where the plan is silent', () => {
    const { lines, status } = jineng(
      ['ask', '--jsonl'],
      '培训要钱吗\n\n医保怎么交\nwhat is liang hou sheng\n',
    );
    expect(status).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ answer: 'abstain', citations: [] });
    expect(lines[2].citations).toContain('s1.2');
  });

  it('says what is missing when no question is given', () => {
    const { status, stderr } = jineng(['ask', '--json']);
    expect(status).toBe(1);
    expect(stderr).toContain('ask needs a question');
  });
});

describe('start-up configuration errors', () => {
  it('stop with a message naming the variable', () => {
    const { status, stderr } = jineng(['converse', '--jsonl'], '', { DEFAULT_LOCALE: 'fr' });
    expect(status).toBe(1);
    expect(stderr).toContain('DEFAULT_LOCALE="fr"');
  });

  it('name REDIS_URL when Redis cannot be reached', () => {
    const { status, stderr } = jineng(['converse', '--jsonl'], '', { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(status).toBe(1);
    expect(stderr).toContain('REDIS_URL');
  });
});
