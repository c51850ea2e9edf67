import type {
  ContactRoute,
  ContactRouteOptions,
  ContactRoutePort,
} from '../core/dialog/flows/contact-route/contact-route-port';
import type { CoordinatorAccess } from '../core/outreach-ports';
import { maskPhone } from '../core/people/mask';
import type { Db } from '../db/prisma-client';
import { mayActOnPerson } from './access-scope';
import type { CoordinatorService } from './coordinator-service';

/** What the console's page shows of one person on a roster: masked, as the roster shows them. */
export interface ContactRouteView {
  courseCode: string;
  name: string;
  /** 138****5678, or '' */
  phone: string;
  deleted: boolean;
  /** Everything of theirs is in the account's scope (core/access-scope.ts): only then may it be changed. */
  inScope: boolean;
  options: ContactRouteOptions;
}

export type ContactRouteChange =
  | { status: 'saved'; route: ContactRoute | null }
  | { status: 'not_possible'; reason: string }
  | { status: 'out_of_scope' }
  | { status: 'deleted' }
  | { status: 'not_found' };

/**
 * Staff see and set a person's contact preference (issue 19, item 3) from a course roster in their scope: the
 * same routes the dialog offers, the same rule; a change is audited (`person.contact_route`), without personal
 * data. Changing it needs the person wholly in scope, as any act on a person does (docs/access-scope.md).
 */
export function createContactRouteConsole(deps: {
  db: Db;
  coordinators: Pick<CoordinatorService, 'inScope' | 'audit'>;
  routes: ContactRoutePort;
}) {
  const { db } = deps;
  const find = (access: CoordinatorAccess, code: string, enrolmentId: string) =>
    db.enrolment.findFirst({
      where: { id: enrolmentId, course: { AND: [deps.coordinators.inScope(access), { code }] } },
      select: {
        course: { select: { code: true } },
        person: { select: { id: true, realName: true, phone: true, deletedAt: true } },
      },
    });

  return {
    async view(
      access: CoordinatorAccess,
      code: string,
      enrolmentId: string,
    ): Promise<ContactRouteView | undefined> {
      const found = await find(access, code, enrolmentId);
      if (!found) return undefined;
      const { person } = found;
      return {
        courseCode: found.course.code,
        name: person.realName ?? '',
        phone: person.phone ? maskPhone(person.phone) : '',
        deleted: Boolean(person.deletedAt),
        inScope: await mayActOnPerson(db, access, person.id),
        options: await deps.routes.options(person.id),
      };
    },

    async set(
      access: CoordinatorAccess,
      actorId: string,
      code: string,
      enrolmentId: string,
      route: ContactRoute | null,
    ): Promise<ContactRouteChange> {
      const found = await find(access, code, enrolmentId);
      if (!found) return { status: 'not_found' };
      const { person } = found;
      if (person.deletedAt) return { status: 'deleted' };
      if (!(await mayActOnPerson(db, access, person.id))) return { status: 'out_of_scope' };
      const options = await deps.routes.options(person.id);
      if (route) {
        const state = options.routes[route];
        if (!state.ok) return { status: 'not_possible', reason: state.reason };
      }
      await deps.routes.set(person.id, route);
      await deps.coordinators.audit(actorId, 'person.contact_route', found.course.code, {
        personId: person.id,
        route: route ?? 'default',
        previous: options.current ?? 'default',
      });
      return { status: 'saved', route };
    },
  };
}

export type ContactRouteConsole = ReturnType<typeof createContactRouteConsole>;
