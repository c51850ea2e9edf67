import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ConsoleDeps } from './console-deps';
import { pageContext, sendPage } from './console-page';
import { notFound } from './console-params';
import { inboxEventsRoute } from './inbox-live';
import { inboxItemPage, inboxList } from './inbox-views';

declare module 'fastify' {
  interface FastifyRequest {
    /** Inbox items waiting for staff that the signed-in user may see, for the navigation (page requests). */
    waitingInbox?: number;
  }
}

const SCRIPT = readFileSync(new URL('./inbox-page.js', import.meta.url));
const idParams = z.object({ id: z.uuid() });
const DONE = [
  'claimed',
  'taken',
  'replied',
  'handedBack',
  'notHeld',
  'closed',
  'closedRated',
  'alreadyClosed',
] as const;
const doneQuery = z.object({ done: z.enum(DONE).optional(), live: z.literal('1').optional() }).catch({});
const replyBody = z.object({ text: z.string().max(10_000).default('') }).catch({ text: '' });
const closeBody = z.object({ outcome: z.string().max(2_000).default('') }).catch({ outcome: '' });

function itemIdOf(params: unknown): string {
  const parsed = idParams.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.id;
}

/** The waiting count for the navigation: what the user may see and nobody holds yet. */
export async function waitingCount(deps: ConsoleDeps, request: FastifyRequest): Promise<number> {
  const items = await deps.inbox.listForAccount(request.consoleUser!.access);
  return items.filter((i) => i.status === 'waiting').length;
}

/**
 * The staff inbox (docs/staff-inbox.md, "Console"): people who asked for a person, call-back requests and
 * complaints, oldest first; an item's masked transcript and the person's sign-ups; claim, reply, hand back to
 * the bot, close. The service enforces scope: an item outside it is a 404 like any object. The pages are plain
 * forms; /console/assets/inbox.js refreshes them live from /console/inbox/events.
 */
export async function inboxRoutes(scope: FastifyInstance, { deps }: { deps: ConsoleDeps }) {
  const account = (request: FastifyRequest) => request.consoleUser!.username;
  // Every console action goes to the audit log (the item id, never what was written: it may hold personal data).
  const audit = (request: FastifyRequest, action: string, id: string, detail?: Record<string, unknown>) =>
    deps.coordinators.audit(request.consoleUser!.personId, `inbox.${action}`, id, detail);
  const toItem = (id: string, done: (typeof DONE)[number]) => `/console/inbox/${id}?done=${done}`;

  scope.get('/console/assets/inbox.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(SCRIPT),
  );

  scope.get('/console/inbox', async (request, reply) => {
    const ctx = pageContext(request, reply, deps);
    const access = request.consoleUser!.access;
    const { done, live } = doneQuery.parse(request.query);
    // The page's script re-reads only the live part (the list): the unanswered groups, costly to build, are
    // outside it and counted on a full load only.
    const [items, groups] = await Promise.all([
      deps.inbox.listForAccount(access),
      live ? [] : deps.unanswered.groups(access),
    ]);
    return sendPage(
      reply,
      ctx,
      ctx.t('inbox-console:title'),
      inboxList(ctx, items, {
        escalateMinutes: deps.config.INBOX_ESCALATE_MINUTES,
        unansweredGroups: groups.length,
        notice: done ? ctx.t(`inbox-console:done.${done}`) : undefined,
      }),
    );
  });

  scope.get('/console/inbox/:id', async (request, reply) => {
    const item = await deps.inbox.get(request.consoleUser!.access, itemIdOf(request.params));
    if (!item) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const { done } = doneQuery.parse(request.query);
    return sendPage(
      reply,
      ctx,
      ctx.t(`inbox-console:kind.${item.kind}`),
      inboxItemPage(ctx, item, { notice: done ? ctx.t(`inbox-console:done.${done}`) : undefined }),
    );
  });

  scope.post('/console/inbox/:id/claim', async (request, reply) => {
    const id = itemIdOf(request.params);
    const result = await deps.inbox.claim(request.consoleUser!.access, id, account(request));
    if (result === 'not_found') throw notFound();
    if (result === 'claimed') await audit(request, 'claimed', id);
    const done = result === 'claimed' ? 'claimed' : result === 'taken' ? 'taken' : 'alreadyClosed';
    return reply.redirect(toItem(id, done), 303);
  });

  scope.post('/console/inbox/:id/reply', async (request, reply) => {
    const id = itemIdOf(request.params);
    const { text } = replyBody.parse(request.body ?? {});
    const access = request.consoleUser!.access;
    const outcome = await deps.inbox.reply(access, id, { text, account: account(request) });
    if (outcome.status === 'queued') {
      await audit(request, 'replied', id, { key: outcome.key });
      return reply.redirect(toItem(id, 'replied'), 303);
    }
    if (outcome.reason === 'not_found') throw notFound();
    // Refused: the page again, with the reason in plain words and the text kept, nothing sent.
    const item = await deps.inbox.get(access, id);
    if (!item) throw notFound();
    const ctx = pageContext(request, reply, deps);
    const channel = ctx.t(`coordinator:channel.${item.channel}`);
    return sendPage(
      reply,
      ctx,
      ctx.t('inbox-console:refusedTitle'),
      inboxItemPage(ctx, item, {
        error: ctx.t(`inbox-console:refused.${outcome.reason}`, { channel }),
        draft: text,
      }),
      { status: outcome.reason === 'empty' ? 400 : 409 },
    );
  });

  scope.post('/console/inbox/:id/hand-back', async (request, reply) => {
    const id = itemIdOf(request.params);
    const access = request.consoleUser!.access;
    if (!(await deps.inbox.get(access, id))) throw notFound();
    const released = await deps.inbox.handBack(access, id);
    if (released) await audit(request, 'handed_back', id);
    return reply.redirect(toItem(id, released ? 'handedBack' : 'notHeld'), 303);
  });

  scope.post('/console/inbox/:id/close', async (request, reply) => {
    const id = itemIdOf(request.params);
    const access = request.consoleUser!.access;
    if (!(await deps.inbox.get(access, id))) throw notFound();
    const { outcome } = closeBody.parse(request.body ?? {});
    const result = await deps.inbox.close(access, id, { outcome, account: account(request) });
    if (!result.closed) return reply.redirect(toItem(id, 'alreadyClosed'), 303);
    await audit(request, 'closed', id, { ratingAsked: result.ratingAsked });
    return reply.redirect(`/console/inbox?done=${result.ratingAsked ? 'closedRated' : 'closed'}`, 303);
  });

  await scope.register(inboxEventsRoute, { deps });
}
