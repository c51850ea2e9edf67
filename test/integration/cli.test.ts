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
  it('prints intent, confidence, the cited answer, citations best first, and slots', () => {
    const { lines, status } = jineng(['ask', '--json', '学徒制企业能拿多少补贴'], '', {
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(status).toBe(0);
    const [r] = lines;
    expect(r.intent).toBe('policy.ask');
    expect(r.confidence).toBeGreaterThan(0.5);
    expect(r.citations[0]).toBe('s2.2');
    expect(r.citations.length).toBeLessThanOrEqual(3);
    expect(r.text).toContain('4000');
    expect(r.slots).toBeTypeOf('object');
  });

  it('routes a course wish to course search and still cites the clause covering it', () => {
    const [r] = jineng(['ask', '--json', '我想学种天麻']).lines;
    expect(r.intent).toBe('course.search');
    expect(r.citations).toContain('s1.4');
    expect(r.slots.trade).toBe('tianma');
  });

  it('reads one question per line with --jsonl and needs neither Redis nor a database', () => {
    const { lines, status } = jineng(['ask', '--jsonl'], '培训要钱吗\n\nwhat is liang hou sheng\n', {
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(status).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[1].citations).toContain('s1.2');
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
