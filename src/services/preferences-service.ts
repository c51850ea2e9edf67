import type pg from 'pg';
import {
  type ChannelPreference,
  type OptOutScope,
  optOutBlocks,
  type PreferencesPort,
} from '../core/dialog/flows/opt-out/preferences-port';

/**
 * The preferences store (issue 19, item 4): one row per person and channel where something is stopped
 * (contact_preferences). `isOptedOut` is the port the outbound worker asks before every send.
 */
export function createPreferences(pool: pg.Pool): PreferencesPort & {
  isOptedOut(personId: string, channel: string, kind: string): Promise<boolean>;
} {
  return {
    async optOut(personId: string, channel: string, scope: OptOutScope) {
      await pool.query(
        `INSERT INTO contact_preferences (person_id, channel, opt_out, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (person_id, channel) DO UPDATE SET opt_out = EXCLUDED.opt_out, updated_at = now()`,
        [personId, channel, scope],
      );
    },
    async resume(personId: string, channel: string) {
      const { rowCount } = await pool.query(
        'DELETE FROM contact_preferences WHERE person_id = $1 AND channel = $2',
        [personId, channel],
      );
      return (rowCount ?? 0) > 0;
    },
    async list(personId: string): Promise<ChannelPreference[]> {
      const { rows } = await pool.query<ChannelPreference>(
        `SELECT channel, opt_out AS "optOut" FROM contact_preferences WHERE person_id = $1 ORDER BY channel`,
        [personId],
      );
      return rows;
    },
    async isOptedOut(personId: string, channel: string, kind: string) {
      // Replies and messages to staff are never stopped: no query for them.
      if (!optOutBlocks('all', kind)) return false;
      const { rows } = await pool.query<{ optOut: OptOutScope }>(
        'SELECT opt_out AS "optOut" FROM contact_preferences WHERE person_id = $1 AND channel = $2',
        [personId, channel],
      );
      return optOutBlocks(rows[0]?.optOut, kind);
    },
  };
}

export type Preferences = ReturnType<typeof createPreferences>;
