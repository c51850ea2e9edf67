import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { chatSessionSchema } from '../../src/core/dialog/chat-session';
import type { TurnResult } from '../../src/core/dialog/engine';
import { LOCALES } from '../../src/core/domain';
import type { InboundMessage } from '../../src/core/message';
import { createCourse } from '../support/fixtures';
import { sampleRuntime, validIdNumber } from '../support/sample-runtime';

/**
 * Property-based fuzzing of the real dialog engine (PostgreSQL, Redis, NLU, every flow): whatever people type,
 * in whatever order, however fast, the bot answers something sensible in a language it speaks, its stored
 * state stays well-formed, and the enrolment books in PostgreSQL stay balanced.
 */

const SAMPLE_CODES = ['ZY-DS-01', 'ZY-HG-01', 'ZY-JS-01', 'LD-HJ-01', 'QJ-YZ-01', 'zy-ds-01', 'ZY–DS–01'];
const RAW_KEY =
  /\b(common|enrol|courses|policy|people|coordinator|reminders|domain|telegram|wechat|web):[a-zA-Z]/;

let runtime: Runtime;
let smallCode: string;
let messages = 0;
let seq = 0;

beforeAll(async () => {
  runtime = await sampleRuntime('fuzz');
  // Two seats and no real-name step: contention, waitlists and promotions happen within a few runs.
  smallCode = (await createCourse(runtime.db, { capacity: 2, realNameRequired: false })).code;
});
afterAll(async () => {
  await runtime?.close();
});

const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
const edgeStrings = fc.constantFrom(
  '\uD800',
  '\uDFFF报名',
  'a\uD83D',
  '\u0000',
  '\u202E取消',
  '\uFEFF菜单',
  '👨‍👩‍👧‍👦',
  'e\u0301',
  '１２３',
  '①',
  '\u3000',
  '\r\n\r\n',
  '\t1\t',
  'Ｚｙ－ＤＳ－０１',
  '%s%d{{name}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: people do type template syntax
  '${process.env}',
  '<script>alert(1)</script>',
  "'; DROP TABLE people; --",
  '🤖'.repeat(300),
  'ℌ𝔢𝔩𝔭',
  'ß',
  '\u0085\u2028\u2029',
);
const menuWords = fc.constantFrom(
  '菜单',
  'menu',
  '取消',
  'cancel',
  '返回',
  '报名',
  '我要报名',
  '我的报名',
  '取消报名',
  '删除我的信息',
  '找课程',
  '镇雄 电商',
  'help',
  '帮助',
  '培训要钱吗',
  'is the training free?',
  'English',
  '中文',
  '同意',
  '不同意',
  '是',
  '否',
  '张三',
  '13800001234',
  '1',
  '2',
  '3',
  '9',
  '0',
  '-1',
  '99',
  '1.5',
  '一',
  '二',
  '/start',
  '/menu',
);
const idLike = fc.oneof(
  fc.integer({ min: 0, max: 999 }).map(validIdNumber),
  fc.constant('530627199001010000'),
  fc.stringMatching(/^\d{17}[\dXx]$/),
);
const hugeInput = fc
  .constantFrom(2_000, 20_000)
  .chain((n) =>
    fc.constantFrom('报名'.repeat(n / 2), 'a'.repeat(n), `${'1'.repeat(n)}`, '取消 '.repeat(n / 3)),
  );

const text = fc.oneof(
  { weight: 4, arbitrary: menuWords },
  { weight: 2, arbitrary: fc.constantFrom(...SAMPLE_CODES).map((c) => `报名 ${c}`) },
  { weight: 1, arbitrary: fc.constantFrom(...SAMPLE_CODES) },
  { weight: 2, arbitrary: edgeStrings },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: surrogate, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: control, maxLength: 8 }) },
  { weight: 1, arbitrary: idLike },
  { weight: 1, arbitrary: hugeInput },
);

type Step =
  | { kind: 'say'; user: number; text: string; choiceIndex?: number }
  | { kind: 'burst'; user: number; text: string; copies: number; sameId: boolean }
  | { kind: 'smallCourse'; user: number; noise?: string };

const USERS = 4;
const user = fc.integer({ min: 0, max: USERS - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('say' as const),
      user,
      text,
      choiceIndex: fc.option(fc.integer({ min: -2, max: 12 }), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      user,
      text: fc.oneof(menuWords, fc.constant('1'), fc.constant('报名 ZY-DS-01')),
      copies: fc.integer({ min: 2, max: 5 }),
      sameId: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('smallCourse' as const),
      user,
      noise: fc.option(fc.oneof(menuWords, edgeStrings), { nil: undefined }),
    }),
  },
);

function expectSensible(result: TurnResult, what: string): void {
  messages += 1;
  expect(result.intent, what).not.toBe('error');
  if (result.intent === 'duplicate') return;
  expect(result.replies.length, what).toBeGreaterThan(0);
  for (const reply of result.replies) {
    expect(reply.text.trim().length, what).toBeGreaterThan(0);
    expect(reply.text, what).not.toMatch(RAW_KEY);
    expect(reply.text, what).not.toMatch(/\{\{|\bundefined\b|\[object Object\]|\bNaN\b/);
    // Every reply is in one of the bot's languages: Chinese characters or English words.
    expect(reply.text, what).toMatch(/[\u4e00-\u9fff]|[A-Za-z]{2,}/);
    for (const choice of reply.choices ?? []) expect(choice.trim().length, what).toBeGreaterThan(0);
  }
}

function world() {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const ids = Array.from({ length: USERS }, (_, i) => `fz-${run}-${i}`);
  const message = (u: number, text: string, choiceIndex?: number, id?: string): InboundMessage => ({
    id: id ?? `${ids[u]}:${++seq}`,
    address: { channel: 'converse', chatId: ids[u]! },
    senderId: ids[u]!,
    text,
    choiceIndex,
    receivedAt: new Date(),
  });
  const say = (u: number, text: string, choiceIndex?: number) =>
    runtime.engine.handle(message(u, text, choiceIndex));
  return { ids, message, say };
}

async function run(steps: Step[]): Promise<void> {
  const w = world();
  for (const s of steps) {
    const what = JSON.stringify(s).slice(0, 300);
    if (s.kind === 'say') {
      expectSensible(await w.say(s.user, s.text, s.choiceIndex), what);
    } else if (s.kind === 'burst') {
      // Rapid identical messages: several platform ids at once, or one id redelivered several times.
      const id = `${w.ids[s.user]}:burst:${++seq}`;
      const results = await Promise.all(
        Array.from({ length: s.copies }, () =>
          runtime.engine.handle(w.message(s.user, s.text, undefined, s.sameId ? id : undefined)),
        ),
      );
      for (const r of results) expectSensible(r, what);
      if (s.sameId) expect(results.filter((r) => r.intent !== 'duplicate').length, what).toBe(1);
    } else {
      // A whole sign-up for the two-seat course, with an optional interjection in the middle.
      // (detail → "1" sign up → the mobile number, which a course without real-name registration asks for).
      expectSensible(await w.say(s.user, `报名 ${smallCode}`), what);
      expectSensible(await w.say(s.user, '1'), what);
      if (s.noise !== undefined) expectSensible(await w.say(s.user, s.noise), what);
      expectSensible(await w.say(s.user, '138 0000 1234'), what);
    }
  }
  await expectWellFormedSessions(w.ids);
  await expectBalancedBooks();
}

async function expectWellFormedSessions(ids: string[]): Promise<void> {
  for (const id of ids) {
    const raw = await runtime.redis.get(`${runtime.config.QUEUE_PREFIX}:session:converse:${id}`);
    if (raw === null) continue;
    const session = chatSessionSchema.safeParse(JSON.parse(raw));
    expect(session.success, raw).toBe(true);
    if (!session.success) return;
    if (session.data.locale) expect(LOCALES).toContain(session.data.locale);
    if (session.data.flow) expect(runtime.engine.flowNames.has(session.data.flow.name), raw).toBe(true);
  }
}

async function expectBalancedBooks(): Promise<void> {
  const books = await runtime.db.$queryRawUnsafe<
    Array<{ code: string; capacity: number; seats: number; confirmed: number }>
  >(`SELECT c.code, c.capacity, c.seats_taken AS seats,
            count(e.id) FILTER (WHERE e.status IN ('confirmed', 'attended'))::int AS confirmed
       FROM courses c LEFT JOIN enrolments e ON e.course_id = c.id GROUP BY c.id`);
  for (const b of books) {
    expect(b.seats, b.code).toBe(b.confirmed);
    expect(b.confirmed, b.code).toBeLessThanOrEqual(b.capacity);
  }
  const twice = await runtime.db.$queryRawUnsafe<unknown[]>(
    'SELECT person_id, course_id FROM enrolments GROUP BY 1, 2 HAVING count(*) > 1',
  );
  expect(twice).toEqual([]);
  const queue = await runtime.db.$queryRawUnsafe<unknown[]>(
    `SELECT course_id, waitlist_position FROM enrolments WHERE status = 'waitlisted'
      GROUP BY 1, 2 HAVING count(*) > 1 OR waitlist_position IS NULL`,
  );
  expect(queue).toEqual([]);
  const strange = await runtime.db.$queryRawUnsafe<unknown[]>(
    `SELECT id, status FROM enrolments
      WHERE status NOT IN ('confirmed', 'waitlisted', 'cancelled', 'attended')
         OR (status <> 'waitlisted' AND waitlist_position IS NOT NULL)`,
  );
  expect(strange).toEqual([]);
}

describe('the dialog engine under random and adversarial input', () => {
  it('never fails, always answers in a known language, and keeps its state and the enrolment books sound', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), run), {
      numRuns: 60,
      endOnFailure: true,
    });
    // The property really ran a large conversation, not a handful of messages.
    expect(messages).toBeGreaterThan(800);
    // …and many people competed for the two seats (sign-ups, waitlists, cancellations, promotions).
    const small = await runtime.db.course.findUniqueOrThrow({ where: { code: smallCode } });
    expect(await runtime.db.enrolment.count({ where: { courseId: small.id } })).toBeGreaterThan(2);
  }, 600_000);

  it('answers every message when many people press buttons in the same flow at the same moment', async () => {
    const crowd = world();
    const everyone = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        runtime.engine.handle(crowd.message(i % USERS, `报名 ${smallCode}`)),
      ),
    );
    for (const r of everyone) expectSensible(r, 'crowd');
    await expectWellFormedSessions(crowd.ids);
    await expectBalancedBooks();
  }, 120_000);
});
