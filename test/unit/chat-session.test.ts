import { describe, expect, it } from 'vitest';
import { readChatSession } from '../../src/core/dialog/chat-session';

/** A sign-up half done, as the bot stored it before sessions had a version. */
const unversioned = {
  locale: 'en',
  choices: [{ label: 'Yes', action: { type: 'flow', flow: 'enrol', value: 'yes' } }],
  flow: { name: 'enrol', step: 'phone', data: { code: 'ZX-DS-01' } },
  seen: ['m1'],
  updatedAt: '2026-12-01T08:00:00.000Z',
};

describe('reading a stored chat session', () => {
  it('brings an unversioned session up to date with everything in it, and nothing to tell', () => {
    const { session, fresh } = readChatSession(JSON.stringify(unversioned));
    expect(fresh).toBe(false);
    expect(session).toEqual({ ...unversioned, v: 1, flow: { ...unversioned.flow, version: 1 } });
  });

  it('keeps the sign-up and the language of a session with broken parts, and says which parts broke', () => {
    const broken = {
      ...unversioned,
      v: 1,
      flow: { ...unversioned.flow, version: 1 },
      choices: [{}],
      seen: 'x',
    };
    const { session } = readChatSession(JSON.stringify(broken));
    expect(session.flow).toEqual(broken.flow);
    expect(session.locale).toBe('en');
    expect(session.choices).toEqual([]);
    expect(session.repair?.issues.map((i) => i.split(':')[0])).toEqual(['choices', 'seen']);
  });

  it('starts afresh, with a note to tell the person, when nothing can be read', () => {
    for (const raw of ['{"locale":', '[1,2]', 'null']) {
      const { session } = readChatSession(raw);
      expect(session.flow).toBeUndefined();
      expect(session.repair?.issues.length).toBeGreaterThan(0);
    }
    const nothing = readChatSession(undefined);
    expect(nothing.fresh).toBe(true);
    expect(nothing.session.repair).toBeUndefined();
  });
});
