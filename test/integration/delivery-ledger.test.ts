import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgPool } from '../../src/db/pg-pool';
import {
  createDeliveryRepository,
  type DeliveryRepository,
  NotAUuidError,
} from '../../src/delivery/delivery-repository';
import { isolatedDb } from '../support/test-env';

let pool: ReturnType<typeof createPgPool>;
let ledger: DeliveryRepository;
let db: Awaited<ReturnType<typeof isolatedDb>>['db'];

beforeAll(async () => {
  const isolated = await isolatedDb('ledger');
  db = isolated.db;
  pool = createPgPool(isolated.url);
  ledger = createDeliveryRepository(pool, 60_000);
});
afterAll(() => pool.end());

const row = (key: string) => ({
  key,
  kind: 'test',
  channel: 'web',
  chatId: randomUUID(),
  message: { text: 'x' },
});

describe('the delivery ledger and uuid columns', () => {
  it('marks concurrent sends sent even when one mark in their batch names an id that is no uuid', async () => {
    const keys = [1, 2, 3].map((n) => `test:${randomUUID()}:${n}`);
    await ledger.createMany(keys.map(row));
    const claims = await Promise.all(keys.map((key) => ledger.claim(key, `token-${key}`)));
    const ids = claims.map((c) => (c.state === 'claimed' ? c.row.id : ''));
    expect(ids.every(Boolean)).toBe(true);
    // Marks made in the same tick share one UPDATE … unnest($1::uuid[]); one bad value used to fail them all,
    // leaving messages that went out 'sending', to be sent again in doubt after the lease.
    const marks = await Promise.all([
      ...ids.map((id, i) => ledger.markSent(id, `token-${keys[i]}`)),
      ledger.markSent('not-a-uuid', 'token'),
    ]);
    expect(marks).toEqual([true, true, true, false]);
    const rows = await db.delivery.findMany({ where: { key: { in: keys } } });
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('refuses a person or broadcast id that is no uuid by name, before the database does', async () => {
    const key = `test:${randomUUID()}`;
    await expect(ledger.createMany([{ ...row(key), personId: 'web:someone' }])).rejects.toThrow(
      NotAUuidError,
    );
    await expect(ledger.createMany([{ ...row(key), broadcastId: '' }])).rejects.toThrow(key);
    expect(await ledger.completeBroadcastIfDone('not-a-uuid')).toBe(false);
    await expect(ledger.release('not-a-uuid', 'token')).resolves.toBeUndefined();
  });
});
