import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseInScope, personInScope } from '../../src/core/access-scope';
import type { CoordinatorAccess } from '../../src/core/outreach.ports';
import { createTranslator } from '../../src/i18n/i18n';
import { courseScopeWhere } from '../../src/services/access-scope';
import { invite } from '../support/console';
import { broadcast, type ScopeFixtures, scopeFixtures } from '../support/scope-fixtures';
import { type InjectResponse, injectClient, scopeWorld, signedInJar } from '../support/scope-world';

/**
 * Issue 14: every console route × role × object inside and outside the role's scope. Out-of-scope objects
 * are never shown (no page holds their title, name, phone, text or venue), changed or deleted (their rows
 * are the same before and after). A route added without a row in TABLE fails the first test.
 */

let world: Awaited<ReturnType<typeof scopeWorld>>;
let fx: ScopeFixtures;
type ActorName = 'admin' | 'county' | 'course' | 'noRole' | 'anonymous';
type Client = ReturnType<typeof injectClient>;
const actors = {} as Record<ActorName, { client: Client; personId?: string; access?: CoordinatorAccess }>;
let sent: Record<'A2' | 'B', Awaited<ReturnType<typeof broadcast>>>;
let draftOther: Awaited<ReturnType<typeof broadcast>>;
/** A coordinator's own draft on a course that is not (or no longer) in their scope. */
const ownDrafts: Partial<Record<ActorName, Awaited<ReturnType<typeof broadcast>>>> = {};

async function signIn(code: string) {
  const jar = await signedInJar(world.url, code);
  const client = injectClient(world.app, jar);
  const username = (
    await world.runtime.db.consoleAccount.findMany({ orderBy: { createdAt: 'desc' }, take: 1 })
  )[0]!;
  return { client, personId: username.personId };
}

beforeAll(async () => {
  world = await scopeWorld();
  fx = await scopeFixtures(world.runtime, 600);
  const { A1 } = fx.courses;
  const rt = world.runtime;
  actors.admin = { ...(await signIn(await invite(rt, { role: 'admin' }))), access: admin() };
  actors.county = {
    ...(await signIn(await invite(rt, { counties: ['zhenxiong'] }))),
    access: { role: 'coordinator', courseCodes: [], counties: ['zhenxiong'] },
  };
  actors.course = {
    ...(await signIn(await invite(rt, { courses: [A1.code] }))),
    access: { role: 'coordinator', courseCodes: [A1.code], counties: [] },
  };
  const noRole = await signIn(await invite(rt, { counties: ['zhenxiong'] }));
  await rt.db.coordinator.delete({ where: { personId: noRole.personId } });
  actors.noRole = noRole;
  actors.anonymous = { client: injectClient(world.app) };
  sent = {
    A2: await broadcast(rt, fx.courses.A2, actors.admin.personId!, 'completed'),
    B: await broadcast(rt, fx.courses.B, actors.admin.personId!, 'completed'),
  };
  draftOther = await broadcast(rt, A1, actors.admin.personId!, 'draft');
  ownDrafts.county = await broadcast(rt, fx.courses.B, actors.county.personId!, 'draft');
  ownDrafts.course = await broadcast(rt, fx.courses.A2, actors.course.personId!, 'draft');
}, 180_000);
afterAll(() => world?.close());

function admin(): CoordinatorAccess {
  return { role: 'admin', courseCodes: [], counties: [] };
}

/** Everything of an object that a page could show. */
interface Secretive {
  secrets: string[];
}

/** The objects outside an actor's scope, and what would give each away. */
function outside(actor: ActorName) {
  const { A1, A2, B } = fx.courses;
  const p = fx.people;
  const access = actors[actor].access;
  const courses = [A1, A2, B].filter((c) => !access || !courseInScope(access, c));
  const people = Object.values(p).filter(
    (person) => !Object.keys(person.enrolments).some((code) => courses.every((c) => c.code !== code)),
  );
  // On a roster the actor may see, but with a registration or sign-up elsewhere: not theirs to act on.
  const partial = Object.values(p).filter(
    (x) =>
      !people.includes(x) &&
      access !== undefined &&
      !personInScope(access, {
        county: x.county,
        courses: Object.keys(x.enrolments).map((code) => [A1, A2, B].find((c) => c.code === code)!),
      }),
  );
  const own = ownDrafts[actor];
  const broadcasts = [...Object.values(sent), ...(own ? [own] : [])].filter((b) =>
    courses.includes(b.course),
  );
  const secrets = [
    ...courses.flatMap((c) => [c.title, c.venue]),
    ...people.flatMap((x) => [x.name, x.phone, x.idNumber]),
    ...broadcasts.map((b) => b.text),
  ];
  return { courses, people, partial, broadcasts, secrets } satisfies Secretive & Record<string, unknown>;
}

interface Probe {
  method: 'GET' | 'POST';
  url: string;
  fields?: Record<string, string>;
  upload?: { name: string; content: string };
  /** What the answer must be; by default any refusal (4xx) or, for a list, the list without the object. */
  expect?: 'refused' | 'list' | number;
}

/** Requests at objects outside the actor's scope, for one route. */
type Probes = (o: ReturnType<typeof outside>, actor: ActorName) => Probe[] | Promise<Probe[]>;

const enrolFields = (name: string, phone: string, idNumber = '') => ({
  realName: name,
  phone,
  idNumber,
  givenBy: 'self',
  method: 'in_person',
  consent: 'yes',
});
const courseFields = (code: string, county: string) => ({
  code,
  title: 'changed',
  trade: 'ecommerce',
  trainingType: 'employment',
  county,
  venue: 'changed',
  capacity: '99',
  feeYuan: '0',
  realNameRequired: 'no',
  status: 'open',
});
const eachCourse = (o: ReturnType<typeof outside>, f: (code: string) => Probe[]) =>
  o.courses.flatMap((c) => f(c.code));

/**
 * Every console route. `kind` says what object it reaches: a course (and what hangs off it), a person,
 * a broadcast, an account (the sign-in and account pages of another developer's area: the actor's own
 * account, or admin-only), or nothing (public, lists).
 */
const TABLE: Record<string, { kind: string; probes: Probes }> = {
  'GET /console': { kind: 'none', probes: () => [{ method: 'GET', url: '/console', expect: 'list' }] },
  'GET /console/assets/console.css': { kind: 'public', probes: () => [] },
  'GET /console/login': { kind: 'public', probes: () => [] },
  'POST /console/login': { kind: 'public', probes: () => [] },
  'POST /console/logout': { kind: 'own', probes: () => [] },
  'GET /console/login/code': { kind: 'own', probes: () => [] },
  'POST /console/login/code': { kind: 'own', probes: () => [] },
  'GET /console/account': {
    kind: 'own',
    probes: () => [{ method: 'GET', url: '/console/account', expect: 'list' }],
  },
  'GET /console/account/password': { kind: 'own', probes: () => [] },
  'POST /console/account/password': { kind: 'own', probes: () => [] },
  'GET /console/account/totp': { kind: 'own', probes: () => [] },
  'POST /console/account/totp': { kind: 'own', probes: () => [] },
  'POST /console/account/totp/off': { kind: 'own', probes: () => [] },
  'POST /console/account/sessions/:id/revoke': {
    kind: 'account',
    probes: async (_o, actor) => {
      const others = await world.runtime.db.consoleSession.findMany({
        where: actors[actor].personId ? { account: { personId: { not: actors[actor].personId } } } : {},
        select: { id: true },
      });
      return others.map((s) => ({ method: 'POST', url: `/console/account/sessions/${s.id}/revoke` }));
    },
  },
  'POST /console/account/sessions/revoke-others': { kind: 'own', probes: () => [] },
  'GET /console/accounts': {
    kind: 'account',
    probes: (_o, actor) =>
      actor === 'admin' ? [] : [{ method: 'GET', url: '/console/accounts', expect: 'refused' }],
  },
  'POST /console/accounts/:id/:action': {
    kind: 'account',
    probes: async (_o, actor) => {
      if (actor === 'admin') return [];
      const accounts = await world.runtime.db.consoleAccount.findMany({ select: { id: true } });
      return accounts.flatMap((a) =>
        ['disable', 'reset', 'delete'].map((action) => ({
          method: 'POST' as const,
          url: `/console/accounts/${a.id}/${action}`,
          expect: 'refused' as const,
        })),
      );
    },
  },
  'GET /console/courses': {
    kind: 'course',
    probes: (o) => [
      { method: 'GET', url: '/console/courses', expect: 'list' },
      ...eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses?q=${code}`, expect: 'list' }]),
    ],
  },
  'GET /console/courses/new': { kind: 'none', probes: () => [] },
  'POST /console/courses': {
    kind: 'course',
    // An existing course's code again (a course of another county, or a new one into that county).
    probes: (o, actor) =>
      eachCourse(o, (code) => [
        { method: 'POST', url: '/console/courses', fields: courseFields(code, 'zhenxiong') },
      ]).concat(
        actor === 'course' || actor === 'county'
          ? [{ method: 'POST', url: '/console/courses', fields: courseFields('WX-ZZ-01', 'weixin') }]
          : [],
      ),
  },
  'GET /console/courses/:code': {
    kind: 'course',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}` }]),
  },
  'GET /console/courses/:code/edit': {
    kind: 'course',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/edit` }]),
  },
  'POST /console/courses/:code/edit': {
    kind: 'course',
    probes: (o, actor) => [
      ...eachCourse(o, (code) => [
        { method: 'POST', url: `/console/courses/${code}/edit`, fields: courseFields(code, 'zhenxiong') },
      ]),
      // A course coordinator may not move their own course into another county (out of their reach).
      ...(actor === 'course'
        ? [
            {
              method: 'POST' as const,
              url: `/console/courses/${fx.courses.A1.code}/edit`,
              fields: courseFields(fx.courses.A1.code, 'weixin'),
              expect: 400,
            },
          ]
        : []),
    ],
  },
  'POST /console/courses/:code/close': {
    kind: 'course',
    probes: (o) => eachCourse(o, (code) => [{ method: 'POST', url: `/console/courses/${code}/close` }]),
  },
  'GET /console/courses/:code/sessions': {
    kind: 'session',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/sessions` }]),
  },
  'POST /console/courses/:code/sessions': {
    kind: 'session',
    probes: (o) =>
      eachCourse(o, (code) => [
        {
          method: 'POST',
          url: `/console/courses/${code}/sessions`,
          fields: { startsAt: '2030-01-01T09:00', endsAt: '2030-01-01T17:00' },
        },
      ]),
  },
  'POST /console/courses/:code/sessions/:id/cancel': {
    kind: 'session',
    // Both the course's own URL and an in-scope course's URL with the other course's class.
    probes: (o) =>
      o.courses.flatMap((c) => [
        { method: 'POST' as const, url: `/console/courses/${c.code}/sessions/${c.sessionId}/cancel` },
        {
          method: 'POST' as const,
          url: `/console/courses/${fx.courses.A1.code}/sessions/${c.sessionId}/cancel`,
        },
      ]),
  },
  'GET /console/import': { kind: 'none', probes: () => [] },
  'GET /console/import/template.csv': { kind: 'none', probes: () => [] },
  'POST /console/import': {
    kind: 'course',
    probes: async (o, actor) => {
      const template = await actors[actor].client.get('/console/import/template.csv');
      if (template.status !== 200)
        return [{ method: 'POST', url: '/console/import', upload: { name: 'c.csv', content: '' } }];
      const [header, example] = template.text.replace(/^\uFEFF/, '').split('\r\n');
      return o.courses.map((c) => ({
        method: 'POST' as const,
        url: '/console/import',
        upload: { name: 'courses.csv', content: `${header}\r\n${example!.replace('ZX-DS-09', c.code)}\r\n` },
        expect: 'list' as const,
      }));
    },
  },
  'GET /console/courses/:code/roster': {
    kind: 'person',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/roster` }]),
  },
  'GET /console/courses/:code/roster.csv': {
    kind: 'person',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/roster.csv` }]),
  },
  'GET /console/courses/:code/roster.xlsx': {
    kind: 'person',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/roster.xlsx` }]),
  },
  'GET /console/courses/:code/enrol': {
    kind: 'course',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/enrol` }]),
  },
  'POST /console/courses/:code/enrol': {
    kind: 'person',
    probes: (o, actor) => [
      ...eachCourse(o, (code) => [
        { method: 'POST', url: `/console/courses/${code}/enrol`, fields: enrolFields('新人', '13800000001') },
      ]),
      // The finding: an out-of-scope person by ID number, into a course the actor does have, with a phone of
      // the actor's own. Not enrolled, nothing of theirs shown or overwritten: referred to staff (409).
      // Found by phone and name instead: the same.
      ...(actor === 'county' || actor === 'course'
        ? [...o.people, ...o.partial].flatMap((x) => [
            {
              method: 'POST' as const,
              url: `/console/courses/${fx.courses.A1.code}/enrol`,
              fields: enrolFields(x.name, '13800000002', x.idNumber),
              expect: 409,
            },
            {
              method: 'POST' as const,
              url: `/console/courses/${fx.courses.A1.code}/enrol`,
              fields: enrolFields(x.name, x.phone),
              expect: 409,
            },
          ])
        : []),
    ],
  },
  'GET /console/courses/:code/roster/:enrolment/delete': {
    kind: 'person',
    probes: (o) => [
      ...o.people.flatMap((x) =>
        Object.entries(x.enrolments).flatMap(([code, enrolment]) => [
          { method: 'GET' as const, url: `/console/courses/${code}/roster/${enrolment}/delete` },
          // Through a course the actor has, with the sign-up of another course.
          {
            method: 'GET' as const,
            url: `/console/courses/${fx.courses.A1.code}/roster/${enrolment}/delete`,
          },
        ]),
      ),
      // On the actor's roster, registered or signed up elsewhere too: the page offers a referral only.
      ...o.partial.map((x) => ({
        method: 'GET' as const,
        url: `/console/courses/${fx.courses.A1.code}/roster/${x.enrolments[fx.courses.A1.code]}/delete`,
        expect: 200,
      })),
    ],
  },
  'POST /console/courses/:code/roster/:enrolment/delete': {
    kind: 'person',
    probes: (o) => [
      ...o.people.flatMap((x) =>
        Object.entries(x.enrolments).flatMap(([code, enrolment]) =>
          [code, fx.courses.A1.code].map((via) => ({
            method: 'POST' as const,
            url: `/console/courses/${via}/roster/${enrolment}/delete`,
            fields: { requested: 'yes', method: 'in_person' },
          })),
        ),
      ),
      // The finding's second half: reachable through the actor's course is not enough. Referred (202).
      ...o.partial.map((x) => ({
        method: 'POST' as const,
        url: `/console/courses/${fx.courses.A1.code}/roster/${x.enrolments[fx.courses.A1.code]}/delete`,
        fields: { requested: 'yes', method: 'phone' },
        expect: 202,
      })),
    ],
  },
  'GET /console/broadcasts': {
    kind: 'broadcast',
    probes: () => [{ method: 'GET', url: '/console/broadcasts', expect: 'list' }],
  },
  'GET /console/broadcasts/new': {
    kind: 'broadcast',
    probes: (o) => [
      { method: 'GET', url: '/console/broadcasts/new', expect: 'list' },
      ...eachCourse(o, (code) => [
        { method: 'GET', url: `/console/broadcasts/new?course=${code}`, expect: 'list' as const },
      ]),
    ],
  },
  'POST /console/broadcasts/preview': {
    kind: 'broadcast',
    probes: (o) =>
      eachCourse(o, (code) => [
        { method: 'POST', url: '/console/broadcasts/preview', fields: { course: code, text: 'hello' } },
      ]),
  },
  'GET /console/broadcasts/:id': {
    kind: 'broadcast',
    probes: (o) => o.broadcasts.map((b) => ({ method: 'GET', url: `/console/broadcasts/${b.id}` })),
  },
  'POST /console/broadcasts/:id/send': {
    kind: 'broadcast',
    probes: (o, actor) => [
      ...o.broadcasts.map((b) => ({ method: 'POST' as const, url: `/console/broadcasts/${b.id}/send` })),
      // Someone else's draft on a course the actor has: still not theirs to send.
      ...(actor === 'admin'
        ? []
        : [
            {
              method: 'POST' as const,
              url: `/console/broadcasts/${draftOther.id}/send`,
              expect: 'list' as const,
            },
          ]),
    ],
  },
  'POST /console/broadcasts/:id/discard': {
    kind: 'broadcast',
    probes: (o, actor) => [
      ...o.broadcasts.map((b) => ({ method: 'POST' as const, url: `/console/broadcasts/${b.id}/discard` })),
      // Someone else's draft on a course the actor has: the list again, the draft untouched.
      ...(actor === 'admin'
        ? []
        : [
            {
              method: 'POST' as const,
              url: `/console/broadcasts/${draftOther.id}/discard`,
              expect: 'list' as const,
            },
          ]),
    ],
  },
  'GET /console/audit': {
    kind: 'none',
    probes: () => [{ method: 'GET', url: '/console/audit', expect: 'list' }],
  },
};

/** The rows a probe must leave alone, as comparable JSON (timestamps of the signed-in sessions aside). */
async function snapshot() {
  const db = world.runtime.db;
  const [courses, sessions, enrolments, people, broadcasts, accounts, consoleSessions, coordinators] =
    await Promise.all([
      db.course.findMany({ orderBy: { id: 'asc' } }),
      db.classSession.findMany({ orderBy: { id: 'asc' } }),
      db.enrolment.findMany({ orderBy: { id: 'asc' } }),
      db.person.findMany({ orderBy: { id: 'asc' } }),
      db.broadcast.findMany({ orderBy: { id: 'asc' } }),
      db.consoleAccount.findMany({ orderBy: { id: 'asc' }, omit: { lastSignInAt: true } }),
      db.consoleSession.findMany({ orderBy: { id: 'asc' }, select: { id: true, accountId: true } }),
      db.coordinator.findMany({ orderBy: { personId: 'asc' } }),
    ]);
  return JSON.parse(
    JSON.stringify({
      courses,
      sessions,
      enrolments,
      people,
      broadcasts,
      accounts,
      consoleSessions,
      coordinators,
    }),
  );
}

const key = (method: string, url: string) => `${method} ${url}`;

describe('the table of console routes', () => {
  it('covers every console route Fastify registered, and nothing that is not one', () => {
    const registered = world.routes
      .filter((r) => r.url.startsWith('/console') && r.method !== 'HEAD')
      .map((r) => key(r.method, r.url));
    expect([...new Set(registered)].sort()).toEqual(Object.keys(TABLE).sort());
  });

  it('uses one scope rule: the database filter picks exactly the courses the predicate allows', async () => {
    const all = await world.runtime.db.course.findMany({ select: { code: true, county: true } });
    for (const name of ['admin', 'county', 'course'] as const) {
      const access = actors[name].access!;
      const filtered = await world.runtime.db.course.findMany({
        where: courseScopeWhere(access),
        select: { code: true },
      });
      expect(filtered.map((c) => c.code).sort()).toEqual(
        all
          .filter((c) => courseInScope(access, c))
          .map((c) => c.code)
          .sort(),
      );
    }
  });
});

function checkAnswer(actor: ActorName, probe: Probe, res: InjectResponse, o: ReturnType<typeof outside>) {
  const typed = `${probe.url} ${JSON.stringify(probe.fields ?? {})} ${probe.upload?.content ?? ''}`;
  const shown = o.secrets.filter((s) => res.text.includes(s) && !typed.includes(s));
  expect(shown, `${actor} ${probe.method} ${probe.url} shows`).toEqual([]);
  const where = `${actor} ${probe.method} ${probe.url} → ${res.status}`;
  if (actor === 'anonymous') return expect([302, 401, 403], where).toContain(res.status);
  if (actor === 'noRole') return expect(res.status, where).toBe(403);
  if (probe.expect === 'list') return expect(res.status, where).toBeLessThan(500);
  if (typeof probe.expect === 'number') return expect(res.status, where).toBe(probe.expect);
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  expect(res.status, where).toBeLessThan(500);
}

describe.each(['county', 'course', 'noRole', 'anonymous'] as const)('as %s', (actor) => {
  it('no console route shows, changes or deletes an object outside the scope', async () => {
    const o = outside(actor);
    expect(o.courses.length).toBeGreaterThan(0);
    const before = await snapshot();
    const auditBefore = await world.runtime.db.auditLog.count({ where: { action: 'person.referred' } });
    let probed = 0;
    for (const row of Object.values(TABLE)) {
      for (const probe of await row.probes(o, actor)) {
        const client = actors[actor].client;
        const res = probe.upload
          ? await client.upload(probe.url, probe.upload)
          : probe.method === 'GET'
            ? await client.get(probe.url)
            : await client.post(probe.url, probe.fields);
        checkAnswer(actor, probe, res, o);
        probed++;
      }
    }
    expect(probed).toBeGreaterThan(20);
    expect(await snapshot()).toEqual(before);
    const referred = await world.runtime.db.auditLog.count({ where: { action: 'person.referred' } });
    if (actor === 'county' || actor === 'course') expect(referred).toBeGreaterThan(auditBefore);
    else expect(referred).toBe(auditBefore);
  }, 120_000);
});

describe('in scope, the same routes do show and act (the table would notice a blind page)', () => {
  it('an admin sees every course, roster and broadcast', async () => {
    const { client } = actors.admin;
    const { B, A2 } = fx.courses;
    expect((await client.get(`/console/courses/${B.code}`)).text).toContain(B.title);
    const roster = await client.get(`/console/courses/${B.code}/roster`);
    expect(roster.text).toContain(fx.people.b.name);
    expect(roster.text).toContain(fx.people.b.phone);
    expect((await client.get(`/console/broadcasts/${sent.A2.id}`)).text).toContain(sent.A2.text);
    expect((await client.get('/console/courses')).text).toContain(A2.code);
  });

  it('a county coordinator sees every course of the county; a course coordinator theirs', async () => {
    const { A1, A2 } = fx.courses;
    expect((await actors.county.client.get(`/console/courses/${A2.code}`)).text).toContain(A2.title);
    const roster = await actors.course.client.get(`/console/courses/${A1.code}/roster`);
    // On their course's roster: everyone who signed up for it, wherever else they are registered.
    expect(roster.text).toContain(fx.people.mixed.name);
    expect(roster.text).toContain(fx.people.a1.phone);
  });
});

describe('on-behalf sign-up of someone already registered (runs last: it signs people up)', () => {
  const t = createTranslator().forLocale('zh-CN');
  const db = () => world.runtime.db;

  it('in scope: signs them up, keeps their stored name and phone, and shows neither', async () => {
    const { A2 } = fx.courses;
    const p = fx.people.a1;
    const res = await actors.county.client.post(
      `/console/courses/${A2.code}/enrol`,
      enrolFields(p.name, '13800000009', p.idNumber),
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(t('scope:keptExisting'));
    expect(res.text).not.toContain(p.phone);
    const row = await db().person.findUniqueOrThrow({ where: { id: p.id } });
    expect({ name: row.realName, phone: row.phone }).toEqual({ name: p.name, phone: p.phone });
    expect(await db().enrolment.count({ where: { personId: p.id, courseId: A2.id } })).toBe(1);
  });

  it('registered in another county: not signed up, told so, and the referral is on the admins’ audit page', async () => {
    const { A2 } = fx.courses;
    const p = fx.people.loose;
    const res = await actors.county.client.post(
      `/console/courses/${A2.code}/enrol`,
      enrolFields(p.name, '13800000010', p.idNumber),
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain(t('scope:referredEnrol'));
    expect(res.text).not.toContain(p.phone);
    expect(await db().enrolment.count({ where: { personId: p.id } })).toBe(0);
    const entry = await db().auditLog.findFirstOrThrow({
      where: { action: 'person.referred', actorId: actors.county.personId },
      orderBy: { id: 'desc' },
    });
    expect(entry).toMatchObject({
      target: A2.code,
      detail: { personId: p.id, reason: 'enrol', nameMatches: true },
    });
    const audit = await actors.admin.client.get('/console/audit');
    expect(audit.text).toContain('person.referred');
    expect(audit.text).toContain(p.id);
  });

  it('a deletion of someone also signed up elsewhere is referred, and one wholly in scope still happens', async () => {
    const { A1 } = fx.courses;
    const multi = fx.people.multi;
    const url = `/console/courses/${A1.code}/roster/${multi.enrolments[A1.code]}/delete`;
    expect((await actors.county.client.get(url)).text).toContain(t('scope:referredDelete'));
    const referred = await actors.county.client.post(url, { requested: 'yes', method: 'phone' });
    expect(referred.status).toBe(202);
    expect(referred.text).toContain(t('scope:referredDeleteDone'));
    expect((await db().person.findUniqueOrThrow({ where: { id: multi.id } })).deletedAt).toBeNull();

    // The course coordinator's own person (of the course's county, signed up only there): deleted.
    const mine = await world.runtime.db.person.create({
      data: { realName: '本班学员', county: 'zhenxiong' },
    });
    const signUp = await db().enrolment.create({
      data: { personId: mine.id, courseId: A1.id, status: 'confirmed' },
    });
    const done = await actors.course.client.post(`/console/courses/${A1.code}/roster/${signUp.id}/delete`, {
      requested: 'yes',
      method: 'in_person',
    });
    expect(done.status).toBe(303);
    expect((await db().person.findUniqueOrThrow({ where: { id: mine.id } })).deletedAt).not.toBeNull();
  });
});
