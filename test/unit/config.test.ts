import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  it('works with nothing set, using the documented defaults', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.DEFAULT_LOCALE).toBe('zh-CN');
    expect(config.REMINDER_OFFSETS_MINUTES).toEqual([1440, 120]);
  });

  it('treats an empty DATABASE_URL as "use the embedded database"', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('refuses a bad value, naming the variable and what was expected', () => {
    const attempt = () =>
      loadConfig({ DEFAULT_LOCALE: 'fr', PII_ENCRYPTION_KEY: 'short', REDIS_URL: 'localhost' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('DEFAULT_LOCALE="fr"');
      expect(message).toContain('PII_ENCRYPTION_KEY');
      expect(message).toContain('64-character hex');
      expect(message).toContain('REDIS_URL');
      expect(message).toContain('redis://');
    }
  });
  describe('production mode (JINENG_ENV=production)', () => {
    const keys = {
      PII_ENCRYPTION_KEY: 'a'.repeat(64),
      PII_HASH_KEY: 'b'.repeat(64),
      WEB_SESSION_SECRET: 'c'.repeat(40),
    };

    it('is off by default: development keys from DATA_DIR are allowed', () => {
      expect(loadConfig({}).JINENG_ENV).toBe('development');
    });

    it('refuses to start without the personal-data keys and the cookie secret, in one line naming them', () => {
      const attempt = () => loadConfig({ JINENG_ENV: 'production', PII_HASH_KEY: keys.PII_HASH_KEY });
      expect(attempt).toThrow(ConfigError);
      const message = (() => {
        try {
          attempt();
        } catch (error) {
          return (error as Error).message;
        }
      })()!;
      const line = message.split('\n').find((l) => l.includes('JINENG_ENV=production'));
      expect(line).toContain('PII_ENCRYPTION_KEY');
      expect(line).toContain('WEB_SESSION_SECRET');
      expect(line).not.toContain('PII_HASH_KEY');
      // Empty values, as .env.example leaves them, count as not set.
      expect(() => loadConfig({ JINENG_ENV: 'production', ...keys, WEB_SESSION_SECRET: '' })).toThrow(
        /requires WEB_SESSION_SECRET/,
      );
    });

    it('starts with all three set', () => {
      expect(loadConfig({ JINENG_ENV: 'production', ...keys }).JINENG_ENV).toBe('production');
    });
  });
});
