import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../src/app/compose';
import { courseInScope, personInScope } from '../../src/core/access-scope';
import type { CoordinatorAccess } from '../../src/core/outreach-ports';
import { validIdNumber } from './sample-runtime';
import type { broadcast, ScopeFixtures, ScopePerson } from './scope-fixtures';
import type { injectClient } from './scope-world';

/**
 * The console's routes as a table for test/integration/access-scope.test.ts: for each, the requests that aim
 * it at objects outside an actor's scope. The test fills `state` before it walks the table.
 */

export type ActorName = 'admin' | 'county' | 'course' | 'noRole' | 'anonymous';
type Broadcast = Awaited<ReturnType<typeof broadcast>>;

export interface ScopeState {
  world: { runtime: Runtime; app: FastifyInstance };
  fx: ScopeFixtures;
  actors: Record<
    ActorName,
    { client: ReturnType<typeof injectClient>; personId?: string; access?: CoordinatorAccess }
  >;
  /** Sent notices on A2 and B. */
  sent: Record<'A2' | 'B', Broadcast>;
  /** An admin's draft on A1. */
  draftOther: Broadcast;
  /** A coordinator's own draft on a course that is not (or no longer) in their scope. */
  ownDrafts: Partial<Record<ActorName, Broadcast>>;
  /** A certificate on each course, by course code (certificateFixtures). */
  certificates: Record<string, string>;
}

export const state = { actors: {}, ownDrafts: {} } as ScopeState;

/** Everything of an object that a page could show. */
interface Secretive {
  secrets: string[];
}

/**
 * The objects outside an actor's scope, and what would give each away. For the admin: every object (what the
 * others are refused), and no secrets: an admin may see and act on all of it.
 */
export function outside(actor: ActorName) {
  const { A1, A2, B } = state.fx.courses;
  const p = state.fx.people;
  const access = state.actors[actor].access;
  if (access?.role === 'admin') {
    return {
      courses: [A1, A2, B],
      people: Object.values(p),
      partial: [] as (typeof p)[keyof typeof p][],
      broadcasts: [...Object.values(state.sent), state.draftOther],
      secrets: [] as string[],
    };
  }
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
  const own = state.ownDrafts[actor];
  const broadcasts = [...Object.values(state.sent), ...(own ? [own] : [])].filter((b) =>
    courses.includes(b.course),
  );
  const secrets = [
    ...courses.flatMap((c) => [c.title, c.venue]),
    ...people.flatMap((x) => [x.name, x.phone, x.idNumber]),
    ...broadcasts.map((b) => b.text),
  ];
  return { courses, people, partial, broadcasts, secrets } satisfies Secretive & Record<string, unknown>;
}

export interface Probe {
  method: 'GET' | 'POST';
  url: string;
  fields?: Record<string, string>;
  upload?: { name: string; content: string };
  /** What the answer must be; by default any refusal (4xx) or, for a list, the list without the object. */
  expect?: 'refused' | 'list' | number;
  /** What this answer in particular must not show either (beyond the scope's secrets), e.g. other courses' codes. */
  secrets?: string[];
}

/** Requests at objects outside the actor's scope, for one route. */
type Probes = (o: ReturnType<typeof outside>, actor: ActorName) => Probe[] | Promise<Probe[]>;

export const enrolFields = (name: string, phone: string, idNumber = '') => ({
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
export const TABLE: Record<string, { kind: string; probes: Probes }> = {
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
      // Another account's login through one's own account page: refused to admins too (they use /accounts).
      if (actor === 'admin') return [];
      const others = await state.world.runtime.db.consoleLogin.findMany({
        where: state.actors[actor].personId
          ? { account: { personId: { not: state.actors[actor].personId } } }
          : {},
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
      const accounts = await state.world.runtime.db.consoleAccount.findMany({ select: { id: true } });
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
      (actor === 'admin'
        ? [{ method: 'POST' as const, url: '/console/courses', fields: courseFields('WX-AD-01', 'weixin') }]
        : eachCourse(o, (code) => [
            { method: 'POST', url: '/console/courses', fields: courseFields(code, 'zhenxiong') },
          ])
      ).concat(
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
              url: `/console/courses/${state.fx.courses.A1.code}/edit`,
              fields: courseFields(state.fx.courses.A1.code, 'weixin'),
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
  // Issue 19: a class moved (preview, then confirmed), before the cancellation below (an admin's confirms).
  'GET /console/courses/:code/sessions/:id/edit': {
    kind: 'session',
    probes: (o) =>
      o.courses.map((c) => ({
        method: 'GET' as const,
        url: `/console/courses/${c.code}/sessions/${c.classSessionId}/edit`,
      })),
  },
  'POST /console/courses/:code/sessions/:id/edit': {
    kind: 'session',
    probes: (o, actor) =>
      o.courses.flatMap((c) =>
        [c.code, ...(actor === 'admin' ? [] : [state.fx.courses.A1.code])].flatMap((code) =>
          ['', '1'].map((confirm) => ({
            method: 'POST' as const,
            url: `/console/courses/${code}/sessions/${c.classSessionId}/edit`,
            fields: { startsAt: '2030-01-02T09:00', endsAt: '2030-01-02T17:00', venue: 'x', confirm },
          })),
        ),
      ),
  },
  'POST /console/courses/:code/sessions/:id/cancel': {
    kind: 'session',
    // Both the course's own URL and an in-scope course's URL with the other course's class; confirmed
    // (issue 19: without `confirm` it is only the preview).
    probes: (o, actor) =>
      o.courses.flatMap((c) => [
        {
          method: 'POST' as const,
          url: `/console/courses/${c.code}/sessions/${c.classSessionId}/cancel`,
          fields: { confirm: '1' },
        },
        ...(actor === 'admin'
          ? []
          : [
              {
                method: 'POST' as const,
                url: `/console/courses/${state.fx.courses.A1.code}/sessions/${c.classSessionId}/cancel`,
                fields: { confirm: '1' },
              },
            ]),
      ]),
  },
  // Issue 19: cancelling a whole course; an admin only previews it (the routes after need the courses open).
  'POST /console/courses/:code/cancel': {
    kind: 'course',
    probes: (o, actor) =>
      eachCourse(o, (code) => [
        { method: 'POST', url: `/console/courses/${code}/cancel` },
        ...(actor === 'admin'
          ? []
          : [{ method: 'POST' as const, url: `/console/courses/${code}/cancel`, fields: { confirm: '1' } }]),
      ]),
  },
  // Issue 20 (docs/attendance.md): a course's attendance, a class's register, the projector's code, and a hand
  // correction: of a course outside the scope, or through a course in scope with another course's sign-up.
  'GET /console/assets/attendance.css': { kind: 'public', probes: () => [] },
  'GET /console/courses/:code/attendance': {
    kind: 'course',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/attendance` }]),
  },
  'GET /console/courses/:code/attendance/:n': {
    kind: 'person',
    probes: async (o) =>
      Promise.all(
        o.courses.map(async (c) => ({
          method: 'GET' as const,
          url: `/console/courses/${c.code}/attendance/${await openSessionNumber(c.id)}`,
        })),
      ),
  },
  'GET /console/courses/:code/attendance/:n/code': {
    kind: 'session',
    probes: async (o) =>
      Promise.all(
        o.courses.map(async (c) => ({
          method: 'GET' as const,
          url: `/console/courses/${c.code}/attendance/${await openSessionNumber(c.id)}/code`,
        })),
      ),
  },
  'POST /console/courses/:code/attendance/:n/mark': {
    kind: 'person',
    probes: async (o, actor) => {
      const probes: Probe[] = [];
      for (const c of o.courses) {
        const trainee = await traineeOf(c.id);
        if (!trainee) continue;
        const fields = { enrolment: trainee.id, status: 'excused', note: 'probe' };
        probes.push({
          method: 'POST',
          url: `/console/courses/${c.code}/attendance/${await openSessionNumber(c.id)}/mark`,
          fields,
        });
        // The other course's sign-up through a course the actor has: not on that course's register.
        if (actor !== 'admin')
          probes.push({
            method: 'POST',
            url: `/console/courses/${state.fx.courses.A1.code}/attendance/1/mark`,
            fields,
          });
      }
      return probes;
    },
  },
  // Issue 20: completing a course (pass rules, the preview with marks, confirmation, marks from a file).
  'GET /console/courses/:code/complete': {
    kind: 'person',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/complete` }]),
  },
  'POST /console/courses/:code/complete/preview': {
    kind: 'person',
    probes: (o) =>
      eachCourse(o, (code) => [{ method: 'POST', url: `/console/courses/${code}/complete/preview` }]),
  },
  'POST /console/courses/:code/complete/rules': {
    kind: 'course',
    probes: (o) =>
      eachCourse(o, (code) => [
        {
          method: 'POST',
          url: `/console/courses/${code}/complete/rules`,
          fields: { passAttendancePct: '10', passExamScore: '1' },
        },
      ]),
  },
  'POST /console/courses/:code/complete/scores': {
    kind: 'person',
    probes: (o) =>
      o.courses.map((c) => ({
        method: 'POST' as const,
        url: `/console/courses/${c.code}/complete/scores`,
        upload: {
          name: 'scores.csv',
          content: `name,idNumber,examScore\r\n${signedUpFor(c.code)
            .map((x) => `${x.name},${x.idNumber},80`)
            .join('\r\n')}\r\n`,
        },
      })),
  },
  'POST /console/courses/:code/complete': {
    kind: 'person',
    probes: (o) => eachCourse(o, (code) => [{ method: 'POST', url: `/console/courses/${code}/complete` }]),
  },
  // Issue 20: certificates, by form, by file, removed; a certificate of another course through one in scope.
  'GET /console/courses/:code/certificates': {
    kind: 'person',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/certificates` }]),
  },
  'POST /console/courses/:code/certificates': {
    kind: 'person',
    probes: async (o, actor) => {
      const probes: Probe[] = [];
      for (const c of o.courses) {
        const trainee = await traineeOf(c.id);
        if (!trainee) continue;
        const fields = {
          enrolmentId: trainee.id,
          type: 'training',
          number: `PROBE-${actor}-${c.code}`,
          issuedOn: '2026-12-01',
        };
        probes.push({ method: 'POST', url: `/console/courses/${c.code}/certificates`, fields });
        if (actor !== 'admin')
          probes.push({
            method: 'POST',
            url: `/console/courses/${state.fx.courses.A1.code}/certificates`,
            fields,
          });
      }
      return probes;
    },
  },
  'POST /console/courses/:code/certificates/:id/delete': {
    kind: 'person',
    probes: async (o, actor) => {
      const probes: Probe[] = [];
      for (const c of o.courses) {
        for (const id of await certificatesOf(c, actor)) {
          probes.push({ method: 'POST', url: `/console/courses/${c.code}/certificates/${id}/delete` });
          if (actor !== 'admin')
            probes.push({
              method: 'POST',
              url: `/console/courses/${state.fx.courses.A1.code}/certificates/${id}/delete`,
            });
        }
      }
      return probes;
    },
  },
  'POST /console/courses/:code/certificates/import': {
    kind: 'person',
    probes: (o, actor) =>
      o.courses.map((c) => ({
        method: 'POST' as const,
        url: `/console/courses/${c.code}/certificates/import`,
        upload: {
          name: 'certificates.csv',
          content: `name,idNumber,certificateType,certificateNumber,issuedOn\r\n${signedUpFor(c.code)
            .map((x, i) => `${x.name},${x.idNumber},training,FILE-${actor}-${c.code}-${i},2026-12-01`)
            .join('\r\n')}\r\n`,
        },
      })),
  },
  // Issue 20: subsidy claims, in bulk or by file; another course's sign-up through one in scope is left alone.
  'GET /console/courses/:code/subsidies': {
    kind: 'person',
    probes: (o) => eachCourse(o, (code) => [{ method: 'GET', url: `/console/courses/${code}/subsidies` }]),
  },
  'POST /console/courses/:code/subsidies': {
    kind: 'person',
    probes: async (o, actor) => {
      const probes: Probe[] = [];
      for (const c of o.courses) {
        const trainee = await traineeOf(c.id);
        if (!trainee) continue;
        const fields = { enrolment: trainee.id, status: 'submitted', amountYuan: '100' };
        probes.push({ method: 'POST', url: `/console/courses/${c.code}/subsidies`, fields });
        // Through a course in scope: that course's page again (nothing of it changed: the snapshot says so).
        if (actor === 'county' || actor === 'course')
          probes.push({
            method: 'POST',
            url: `/console/courses/${state.fx.courses.A1.code}/subsidies`,
            fields,
            expect: 'list',
          });
      }
      return probes;
    },
  },
  'POST /console/courses/:code/subsidies/import': {
    kind: 'person',
    probes: (o) =>
      o.courses.map((c) => ({
        method: 'POST' as const,
        url: `/console/courses/${c.code}/subsidies/import`,
        upload: {
          name: 'subsidies.csv',
          content: `name,idNumber,status,amountYuan\r\n${signedUpFor(c.code)
            .map((x) => `${x.name},${x.idNumber},paid,500`)
            .join('\r\n')}\r\n`,
        },
      })),
  },
  // Issue 20 (docs/reports.md): the outcome report adds up the courses in scope only: no other course's code or
  // title, asked for by county, course or over a period that holds every course. Targets: admins any county, county staff their own.
  'GET /console/assets/chart.umd.min.js': { kind: 'public', probes: () => [] },
  'GET /console/assets/reports-page.js': { kind: 'public', probes: () => [] },
  'GET /console/reports': {
    kind: 'course',
    probes: (o, actor) => reportProbes(o, actor, '/console/reports'),
  },
  'GET /console/reports.xlsx': {
    kind: 'course',
    probes: (o, actor) => reportProbes(o, actor, '/console/reports.xlsx'),
  },
  // Issue 20, item 7 (docs/surveys.md): raw survey answers, the courses in scope only, asked for the same ways.
  'GET /console/assets/survey-answers-page.js': { kind: 'public', probes: () => [] },
  'GET /console/survey-answers': {
    kind: 'course',
    probes: (o, actor) => reportProbes(o, actor, '/console/survey-answers'),
  },
  'GET /console/survey-answers.json': {
    kind: 'course',
    probes: (o, actor) => reportProbes(o, actor, '/console/survey-answers.json'),
  },
  'POST /console/reports/targets': {
    kind: 'county',
    probes: (_o, actor): Probe[] => [
      {
        method: 'POST',
        url: '/console/reports/targets',
        fields: { county: outsideCounty(actor), year: '2026', sessions: '7', povertySessions: '3' },
      },
      // Yearly targets: admins any county's, county staff their own only (docs/reports.md); clearing alike.
      {
        method: 'POST',
        url: '/console/reports/targets',
        fields: { county: outsideCounty(actor), year: '2027', clear: 'yes' },
      },
    ],
  },
  'GET /console/import': { kind: 'none', probes: () => [] },
  'GET /console/import/template.csv': { kind: 'none', probes: () => [] },
  'POST /console/import': {
    kind: 'course',
    probes: async (o, actor) => {
      const template = await state.actors[actor].client.get('/console/import/template.csv');
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
  // Issue 19: an import's class changes, confirmed: another county's class (as previewed) stays as it is.
  'POST /console/import/schedule': {
    kind: 'session',
    probes: async (o) => {
      const probes = [];
      for (const c of o.courses) {
        const s = await state.world.runtime.db.classSession.findUniqueOrThrow({
          where: { id: c.classSessionId },
        });
        const change = { kind: 'cancel', code: c.code, sessionId: s.id, was: s.startsAt.toISOString() };
        probes.push({
          method: 'POST' as const,
          url: '/console/import/schedule',
          fields: { change: JSON.stringify(change) },
          expect: 'list' as const,
        });
      }
      return probes;
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
        {
          method: 'POST',
          url: `/console/courses/${code}/enrol`,
          // An admin's must be a sign-up that can succeed: a course may require the ID number.
          fields: enrolFields('新人', '13800000001', actor === 'admin' ? validIdNumber(990) : ''),
        },
      ]),
      // The finding: an out-of-scope person by ID number, into a course the actor does have, with a phone of
      // the actor's own. Not enrolled, nothing of theirs shown or overwritten: referred to staff (409).
      // Found by phone and name instead: the same.
      ...(actor === 'county' || actor === 'course'
        ? [...o.people, ...o.partial].flatMap((x) => [
            {
              method: 'POST' as const,
              url: `/console/courses/${state.fx.courses.A1.code}/enrol`,
              fields: enrolFields(x.name, '13800000002', x.idNumber),
              expect: 409,
            },
            {
              method: 'POST' as const,
              url: `/console/courses/${state.fx.courses.A1.code}/enrol`,
              fields: enrolFields(x.name, x.phone),
              expect: 409,
            },
          ])
        : []),
    ],
  },
  // Issue 19, item 3 (docs/notices-and-preferences.md): a person's contact preference from a roster; before the
  // deletion rows (an admin's probes delete people). Seen for anyone on the actor's roster, set only for people
  // wholly in scope (the partial ones: shown, the change refused with 403).
  'GET /console/courses/:code/roster/:enrolment/contact': {
    kind: 'person',
    probes: (o, actor) => [
      ...o.people.flatMap((x) =>
        Object.entries(x.enrolments).flatMap(([code, enrolment]) => [
          { method: 'GET' as const, url: `/console/courses/${code}/roster/${enrolment}/contact` },
          ...(actor === 'admin'
            ? []
            : [
                {
                  method: 'GET' as const,
                  url: `/console/courses/${state.fx.courses.A1.code}/roster/${enrolment}/contact`,
                },
              ]),
        ]),
      ),
      ...o.partial.map((x) => ({
        method: 'GET' as const,
        url: `/console/courses/${state.fx.courses.A1.code}/roster/${x.enrolments[state.fx.courses.A1.code]}/contact`,
        expect: 200,
      })),
    ],
  },
  'POST /console/courses/:code/roster/:enrolment/contact': {
    kind: 'person',
    probes: (o, actor) => [
      ...o.people.flatMap((x) =>
        Object.entries(x.enrolments).flatMap(([code, enrolment]) =>
          (actor === 'admin' ? [code] : [code, state.fx.courses.A1.code]).map((via) => ({
            method: 'POST' as const,
            url: `/console/courses/${via}/roster/${enrolment}/contact`,
            fields: { route: 'default' },
          })),
        ),
      ),
      ...o.partial.map((x) => ({
        method: 'POST' as const,
        url: `/console/courses/${state.fx.courses.A1.code}/roster/${x.enrolments[state.fx.courses.A1.code]}/contact`,
        fields: { route: 'default' },
        expect: 403,
      })),
    ],
  },
  'GET /console/courses/:code/roster/:enrolment/delete': {
    kind: 'person',
    probes: (o, actor) => [
      ...o.people.flatMap((x) =>
        Object.entries(x.enrolments).flatMap(([code, enrolment]) => [
          { method: 'GET' as const, url: `/console/courses/${code}/roster/${enrolment}/delete` },
          // Through a course the actor has, with the sign-up of another course (a 404 for admins too).
          ...(actor === 'admin'
            ? []
            : [
                {
                  method: 'GET' as const,
                  url: `/console/courses/${state.fx.courses.A1.code}/roster/${enrolment}/delete`,
                },
              ]),
        ]),
      ),
      // On the actor's roster, registered or signed up elsewhere too: the page offers a referral only.
      ...o.partial.map((x) => ({
        method: 'GET' as const,
        url: `/console/courses/${state.fx.courses.A1.code}/roster/${x.enrolments[state.fx.courses.A1.code]}/delete`,
        expect: 200,
      })),
    ],
  },
  'POST /console/courses/:code/roster/:enrolment/delete': {
    kind: 'person',
    probes: (o, actor) => [
      ...o.people.flatMap((x) =>
        Object.entries(x.enrolments).flatMap(([code, enrolment]) =>
          (actor === 'admin' ? [code] : [code, state.fx.courses.A1.code]).map((via) => ({
            method: 'POST' as const,
            url: `/console/courses/${via}/roster/${enrolment}/delete`,
            fields: { requested: 'yes', method: 'in_person' },
          })),
        ),
      ),
      // The finding's second half: reachable through the actor's course is not enough. Referred (202).
      ...o.partial.map((x) => ({
        method: 'POST' as const,
        url: `/console/courses/${state.fx.courses.A1.code}/roster/${x.enrolments[state.fx.courses.A1.code]}/delete`,
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
              url: `/console/broadcasts/${state.draftOther.id}/send`,
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
              url: `/console/broadcasts/${state.draftOther.id}/discard`,
              expect: 'list' as const,
            },
          ]),
    ],
  },
  'GET /console/audit': {
    kind: 'none',
    probes: () => [{ method: 'GET', url: '/console/audit', expect: 'list' }],
  },
  'GET /console/follow-ups': {
    kind: 'person',
    probes: () => [{ method: 'GET', url: '/console/follow-ups', expect: 'list' }],
  },
  'POST /console/follow-ups/:id/resolve': {
    kind: 'person',
    probes: async (o, actor) =>
      (await followUpsOf(o, actor)).map((f) => ({
        method: 'POST' as const,
        url: `/console/follow-ups/${f.id}/resolve`,
        fields: { outcome: f.kind === 'id_clash' ? 'unverified' : 'unreachable', note: 'probe' },
      })),
  },
  'POST /console/follow-ups/:id/enrol': {
    kind: 'person',
    probes: async (o, actor) =>
      (await followUpsOf(o, actor))
        .filter((f) => f.kind === 'enrol_referral' || actor !== 'admin')
        .map((f) => ({ method: 'POST' as const, url: `/console/follow-ups/${f.id}/enrol` })),
  },
  // Curated answers and unanswered questions (docs/curated-answers.md): an answer scoped to a county outside
  // the actor's is not theirs to see or change, nor may they write one for it.
  'GET /console/answers': {
    kind: 'curated',
    probes: () => [{ method: 'GET', url: '/console/answers', expect: 'list' }],
  },
  'GET /console/answers/new': {
    kind: 'curated',
    probes: () => [{ method: 'GET', url: '/console/answers/new', expect: 'list' }],
  },
  'POST /console/answers': {
    kind: 'curated',
    probes: (_o, actor) =>
      actor === 'admin'
        ? []
        : [
            {
              method: 'POST',
              url: '/console/answers',
              fields: { questions: '培训教室有空调吗', answer: '有。', county: outsideCounty(actor) },
            },
          ],
  },
  'GET /console/answers/export.csv': {
    kind: 'curated',
    probes: () => [{ method: 'GET', url: '/console/answers/export.csv', expect: 'list' }],
  },
  'GET /console/answers/export.xlsx': {
    kind: 'curated',
    probes: () => [{ method: 'GET', url: '/console/answers/export.xlsx', expect: 'list' }],
  },
  'POST /console/answers/import': { kind: 'curated', probes: () => [] },
  'POST /console/answers/groups/:id/dismiss': {
    kind: 'curated',
    probes: (_o, actor) =>
      actor === 'admin' ? [] : [{ method: 'POST', url: '/console/answers/groups/u0/dismiss' }],
  },
  'GET /console/answers/:id': {
    kind: 'curated',
    probes: async (_o, actor) =>
      actor === 'admin' ? [] : [{ method: 'GET', url: `/console/answers/${await outsideAnswer(actor)}` }],
  },
  'POST /console/answers/:id': {
    kind: 'curated',
    probes: async (_o, actor) =>
      actor === 'admin'
        ? []
        : [
            {
              method: 'POST',
              url: `/console/answers/${await outsideAnswer(actor)}`,
              fields: { questions: 'changed', answer: 'changed' },
            },
          ],
  },
  'POST /console/answers/:id/retire': {
    kind: 'curated',
    probes: async (_o, actor) =>
      actor === 'admin'
        ? []
        : [{ method: 'POST', url: `/console/answers/${await outsideAnswer(actor)}/retire` }],
  },
  // The staff inbox (docs/staff-inbox.md): an item about a person outside the scope is neither listed, shown,
  // streamed nor acted on. The texts of those items join the secrets no page may show.
  'GET /console/assets/inbox.js': { kind: 'none', probes: () => [] },
  'GET /console/inbox': {
    kind: 'inbox',
    probes: async (o, actor) => {
      if (actor !== 'admin') o.secrets.push(...(await inboxOutside(actor)).map((i) => i.text));
      return [{ method: 'GET', url: '/console/inbox', expect: 'list' }];
    },
  },
  'GET /console/inbox/events': {
    kind: 'inbox',
    // A coordinator's stream stays open (it only ever carries items in scope: test/e2e/web-inbox.test.ts).
    probes: (_o, actor) =>
      actor === 'noRole' || actor === 'anonymous' ? [{ method: 'GET', url: '/console/inbox/events' }] : [],
  },
  'GET /console/inbox/:id': {
    kind: 'inbox',
    probes: async (_o, actor) =>
      (await inboxOutside(actor)).map((i) => ({ method: 'GET' as const, url: `/console/inbox/${i.id}` })),
  },
  'POST /console/inbox/:id/claim': {
    kind: 'inbox',
    probes: async (_o, actor) =>
      (await inboxOutside(actor)).map((i) => ({
        method: 'POST' as const,
        url: `/console/inbox/${i.id}/claim`,
      })),
  },
  'POST /console/inbox/:id/reply': {
    kind: 'inbox',
    // An admin's reply would be refused for want of a chat to reach (these items have none): not probed.
    probes: async (_o, actor) =>
      (actor === 'admin' ? [] : await inboxOutside(actor)).map((i) => ({
        method: 'POST' as const,
        url: `/console/inbox/${i.id}/reply`,
        fields: { text: 'probe reply' },
      })),
  },
  'POST /console/inbox/:id/hand-back': {
    kind: 'inbox',
    probes: async (_o, actor) =>
      (await inboxOutside(actor)).map((i) => ({
        method: 'POST' as const,
        url: `/console/inbox/${i.id}/hand-back`,
      })),
  },
  'POST /console/inbox/:id/close': {
    kind: 'inbox',
    probes: async (_o, actor) =>
      (await inboxOutside(actor)).map((i) => ({
        method: 'POST' as const,
        url: `/console/inbox/${i.id}/close`,
        fields: { outcome: 'probe' },
      })),
  },
};

/** One waiting inbox item about each fixture person (made once), with a text no other object holds. */
let inboxItems: Promise<{ id: string; text: string; person: ScopePerson }[]> | undefined;
function allInboxItems() {
  inboxItems ??= (async () => {
    const { pool } = state.world.runtime.database;
    const items: { id: string; text: string; person: ScopePerson }[] = [];
    for (const person of Object.values(state.fx.people)) {
      const text = `求助H${person.id.slice(0, 8)}`;
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO inbox_items (id, kind, person_id, channel, channel_user, chat_id, county, last_text, transcript)
         VALUES (gen_random_uuid(), 'handoff', $1, 'web', $2, $2, $3, $4, $5::jsonb) RETURNING id`,
        [
          person.id,
          `scope-${person.id}`,
          person.county,
          text,
          JSON.stringify([{ who: 'user', text, at: new Date().toISOString() }]),
        ],
      );
      items.push({ id: rows[0]!.id, text, person });
    }
    return items;
  })();
  return inboxItems;
}

/**
 * The inbox items the actor may not see (all of them without a role). The inbox's rule (docs/access-scope.md):
 * the person's county is one of the actor's, or they signed up for a course in the actor's scope.
 */
async function inboxOutside(actor: ActorName) {
  const items = await allInboxItems();
  const access = state.actors[actor].access;
  // No role: every item is out of reach. An admin: every item is theirs to probe (as in `outside`), except
  // those whose person the admin's earlier probes erased (their items went with them).
  if (!access) return items;
  if (access.role === 'admin') {
    const { rows } = await state.world.runtime.database.pool.query<{ id: string }>(
      'SELECT id FROM inbox_items WHERE id = ANY($1::uuid[])',
      [items.map((i) => i.id)],
    );
    return items.filter((i) => rows.some((r) => r.id === i.id));
  }
  const courses = Object.values(state.fx.courses);
  return items.filter(
    ({ person }) =>
      !(person.county !== null && access.counties.includes(person.county)) &&
      !Object.keys(person.enrolments).some((code) =>
        courseInScope(access, courses.find((c) => c.code === code)!),
      ),
  );
}

/**
 * Open follow-ups about the people outside the actor's scope (every one, for those with no role). An admin may
 * resolve any: every open one, also those the earlier probes raised about people who are not fixtures (a notice
 * that reached no chat of the person signed up by the admin's probe, or of its author: 'no_channel').
 */
async function followUpsOf(o: ReturnType<typeof outside>, actor: ActorName) {
  const people = [...o.people, ...o.partial].map((x) => x.id);
  const access = state.actors[actor].access;
  return state.world.runtime.db.followUp.findMany({
    where: {
      resolvedAt: null,
      ...(access && access.role !== 'admin' ? { personId: { in: people } } : {}),
    },
    select: { id: true, kind: true },
  });
}

/** A county none of the actor's scope covers. */
function outsideCounty(actor: ActorName): string {
  const mine = state.actors[actor].access?.counties ?? [];
  return ['weixin', 'shuifu', 'yiliang', 'zhaoyang'].find((c) => !mine.includes(c))!;
}

/** A curated answer scoped to a county outside the actor's, made once per actor. */
const outsideAnswers = new Map<ActorName, string>();
async function outsideAnswer(actor: ActorName): Promise<string> {
  const known = outsideAnswers.get(actor);
  if (known) return known;
  const saved = await state.world.runtime.console.curatedAnswers.add(
    { cli: 'scope-test' },
    { questions: [`scope probe ${actor}`], answer: 'not yours', county: outsideCounty(actor) },
  );
  if (saved.status !== 'saved') throw new Error('could not make a curated answer to probe');
  outsideAnswers.set(actor, saved.answer.id);
  return saved.answer.id;
}

/** A trainee of the course now (a confirmed or attended sign-up of someone not erased): whom its pages act on. */
function traineeOf(courseId: string) {
  return state.world.runtime.db.enrolment.findFirst({
    where: { courseId, status: { in: ['confirmed', 'attended'] }, person: { deletedAt: null } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, personId: true },
  });
}

/** The number the attendance pages give the course's first class not cancelled (1 when there is none). */
async function openSessionNumber(courseId: string): Promise<number> {
  const sessions = await state.world.runtime.db.classSession.findMany({
    where: { courseId },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    select: { cancelled: true },
  });
  return Math.max(1, sessions.findIndex((s) => !s.cancelled) + 1);
}

/** The fixture people signed up for a course, as a file of marks, certificates or claims would name them. */
const signedUpFor = (code: string) => Object.values(state.fx.people).filter((x) => x.enrolments[code]);

/** One certificate on each fixture course (for its first sign-up), made before the probes: theirs to aim at. */
export async function certificateFixtures(): Promise<Record<string, string>> {
  const made: Record<string, string> = {};
  for (const c of Object.values(state.fx.courses)) {
    const [x] = signedUpFor(c.code);
    if (!x) continue;
    const row = await state.world.runtime.db.certificate.create({
      data: {
        personId: x.id,
        enrolmentId: x.enrolments[c.code]!,
        courseId: c.id,
        type: 'skill_level',
        number: `SCOPE-${c.code}`,
        issuedOn: new Date('2026-11-30'),
      },
    });
    made[c.code] = row.id;
  }
  return made;
}

/** The certificates to aim at on a course: the fixture's; for an admin, every one the course has by then. */
async function certificatesOf(course: { id: string; code: string }, actor: ActorName): Promise<string[]> {
  if (actor !== 'admin') return state.certificates[course.code] ? [state.certificates[course.code]!] : [];
  const found = await state.world.runtime.db.certificate.findMany({
    where: { courseId: course.id },
    select: { id: true },
  });
  return found.map((c) => c.id);
}

/**
 * The report over a period that holds every fixture course, for the county and the course outside the scope
 * (named in the query: those may show, nothing else of them may), and plain; the other courses' codes too
 * must stay out (their titles already are secrets).
 */
function reportProbes(o: ReturnType<typeof outside>, actor: ActorName, path: string): Probe[] {
  const year = new Date().getFullYear();
  const period = `from=${year - 1}-01-01&to=${year + 5}-12-31`;
  const secrets = actor === 'admin' ? [] : o.courses.map((c) => c.code);
  return [
    `${path}?${period}`,
    ...o.courses.flatMap((c) => [
      `${path}?${period}&county=${c.county}`,
      `${path}?${period}&course=${c.code}`,
    ]),
  ].map((url) => ({ method: 'GET' as const, url, expect: 'list' as const, secrets }));
}
