import { describe, expect, it } from 'vitest';
import { loadPiiCipher } from '../../src/app/pii-keys';
import { deletePersonData } from '../../src/db/repositories/person-erasure';
import { allText, runtimeWithPeople } from '../support/converse';

const people = runtimeWithPeople('erased-language');

describe('a person whose data was erased starts afresh', () => {
  it('is answered in the language they write now, not the one of the erased conversation', async () => {
    const { runtime } = people;
    const p = people.fresh();
    expect(allText(await p.say('hello'))).toMatch(/[A-Za-z]{4,}/);
    const identity = await runtime.db.channelIdentity.findFirstOrThrow({ where: { externalId: p.id } });
    await deletePersonData(runtime.db, loadPiiCipher(runtime.config, runtime.logger), identity.personId);
    const after = await p.say('培训要钱吗');
    // The reply itself is Chinese, not English that quotes the plan's Chinese title.
    expect(after.replies[0]?.text).toMatch(/^[\p{Script=Han}《]/u);
  });
});
