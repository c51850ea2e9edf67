import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/app/compose';
import { broadcastModule } from '../../src/core/dialog/flows/broadcast/broadcast-flow';
import { coordinatorIntents } from '../../src/core/dialog/intents/coordinator-intents';
import type { OutreachDialogServices } from '../../src/core/dialog/outreach-services';
import type { DialogServices } from '../../src/core/dialog/services';
import { createChatLinkRepository } from '../../src/db/repositories/chat-links-repository';
import { allText, person, testRuntime } from '../support/converse';
import { broadcast, type ScopeCourse, type ScopeFixtures, scopeFixtures } from '../support/scope-fixtures';
import { isolatedDb } from '../support/test-env';

/**
 * Issue 14, the chat side: every coordinator command × role × course in and out of scope. A course outside
 * the scope is never named back (its title, venue and notices stay unseen), never gets a notice drafted, and
 * a group is never linked to it.
 */

let runtime: Runtime;
let fx: ScopeFixtures;
type ActorName = 'admin' | 'county' | 'course' | 'none';
type Chat = ReturnType<typeof person>;
const actors = {} as Record<ActorName, { chat: Chat; personId: string; out: ScopeCourse[] }>;
const secrets = new Map<ActorName, string[]>();

async function coordinator(name: ActorName, invite?: Parameters<Runtime['coordinators']['createInvite']>[0]) {
  const chat = person(runtime, name);
  await chat.say('你好');
  if (invite) {
    const { code } = await runtime.coordinators.createInvite(invite);
    expect((await chat.say(`/start ${code}`)).intent).toBe('coordinator.redeem');
  }
  const identity = await runtime.db.channelIdentity.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'converse', externalId: chat.id } },
  });
  return { chat, personId: identity.personId };
}

beforeAll(async () => {
  const { url } = await isolatedDb('scope_chat');
  runtime = await testRuntime({ DATABASE_URL: url });
  fx = await scopeFixtures(runtime, 700);
  const { A1, A2, B } = fx.courses;
  const base = { expiresDays: 1, createdBy: 'test', courseCodes: [], counties: [] };
  actors.admin = { ...(await coordinator('admin', { ...base, role: 'admin' })), out: [] };
  actors.county = {
    ...(await coordinator('county', { ...base, role: 'coordinator', counties: ['zhenxiong'] })),
    out: [B],
  };
  actors.course = {
    ...(await coordinator('course', { ...base, role: 'coordinator', courseCodes: [A1.code] })),
    out: [A2, B],
  };
  actors.none = { ...(await coordinator('none')), out: [A1, A2, B] };
  for (const [name, actor] of Object.entries(actors) as [ActorName, (typeof actors)[ActorName]][]) {
    // Notices on every course outside: one by an admin, one the actor sent before their scope was narrowed.
    const texts: string[] = [];
    for (const c of actor.out) {
      texts.push((await broadcast(runtime, c, actors.admin.personId, 'completed')).text);
      texts.push((await broadcast(runtime, c, actor.personId, 'completed')).text);
    }
    secrets.set(name, [...actor.out.flatMap((c) => [c.title, c.venue]), ...texts]);
  }
}, 180_000);
afterAll(() => runtime?.close());

/** What the chat answers, with what the actor typed taken out (a typed code may be said back). */
function checkShown(actor: ActorName, typed: string, reply: string) {
  const shown = (secrets.get(actor) ?? []).filter((s) => reply.includes(s) && !typed.includes(s));
  expect(shown, `${actor} "${typed}"`).toEqual([]);
}

/** Each coordinator command, with the messages that aim it at a course outside the actor's scope. */
const COMMANDS: Record<string, (out: ScopeCourse) => string[][]> = {
  // One message, or a conversation: the class picked by code at the "which class?" question.
  'broadcast.send': (c) => [
    [`/broadcast ${c.code} 明天停课`],
    ['/broadcast 明天停课', c.code],
    [`通知${c.code}：明天停课`],
  ],
  'broadcast.report': (c) => [[`/report ${c.code}`], ['/report'], ['投递报告']],
  // No course in it: the code is checked, and it grants exactly what the invite says (coordinator-dialog tests).
  'coordinator.redeem': () => [['邀请码 ABCDEFGH']],
  // The group-chat command (`/link <code>` in Telegram, the same rule in WeChat rooms): see below.
  'group.link': () => [],
};

describe('the table of coordinator chat commands', () => {
  it('covers every coordinator intent the dialog handles', () => {
    const intents = Object.keys(coordinatorIntents({} as DialogServices, {} as OutreachDialogServices));
    const broadcast = broadcastModule({} as OutreachDialogServices);
    const handled = [...intents, ...Object.keys(broadcast.intents ?? {}), 'group.link'];
    expect(broadcast.flows?.map((f) => f.name)).toEqual(['broadcast']);
    expect(handled.sort()).toEqual(Object.keys(COMMANDS).sort());
  });
});

describe.each(['county', 'course', 'none'] as const)('as %s in chat', (name) => {
  it('no command names, drafts to or reports on a course outside the scope', async () => {
    const actor = actors[name];
    const onOut = () =>
      runtime.db.broadcast.count({ where: { courseId: { in: actor.out.map((c) => c.id) } } });
    const before = await onOut();
    for (const course of actor.out) {
      for (const conversations of Object.values(COMMANDS)) {
        for (const messages of conversations(course)) {
          for (const text of messages) {
            const turn = await actor.chat.say(text);
            // A bare course code on its own, once no command waits for one, is anyone's public look-up of an
            // open course (issue 18: "LD-YH-01" shows that course), not a command naming it.
            if (text === course.code && !turn.intent.startsWith('flow.')) continue;
            checkShown(name, messages.join(' '), allText(turn));
          }
          await actor.chat.say('取消');
        }
      }
    }
    // Nothing drafted to a course outside. ("/broadcast <text>" with one class in scope drafts to that one.)
    expect(await onOut()).toBe(before);
  });

  it('cannot link a group chat to a course outside the scope', async () => {
    const links = createChatLinkRepository(runtime.db, runtime.coordinators.access);
    for (const course of actors[name].out) {
      const outcome = await links.link({
        channel: 'converse',
        chatId: `group-${name}`,
        externalId: actors[name].chat.id,
        code: course.code,
      });
      expect(outcome.status).toBe('not_coordinator');
    }
    expect(await runtime.db.chatLink.count({ where: { chatId: `group-${name}` } })).toBe(0);
  });
});

describe('in scope, the same commands work (the table would notice a deaf command)', () => {
  it('a county coordinator drafts to a course of the county; an admin to any', async () => {
    const { A2, B } = fx.courses;
    const county = await actors.county.chat.say(`/broadcast ${A2.code} 明天停课`);
    expect(allText(county)).toContain(A2.code);
    await actors.county.chat.say('不发');
    const admin = await actors.admin.chat.say(`/broadcast ${B.code} 明天停课`);
    expect(allText(admin)).toContain(B.code);
    await actors.admin.chat.say('不发');
  });

  it('a course coordinator sees the report of their own notice on their course', async () => {
    const own = await broadcast(runtime, fx.courses.A1, actors.course.personId, 'completed');
    await runtime.db.broadcast.update({ where: { id: own.id }, data: { confirmedAt: new Date() } });
    const reply = await actors.course.chat.say(`/report ${fx.courses.A1.code}`);
    expect(allText(reply)).toContain(own.text);
  });
});
