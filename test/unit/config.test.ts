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
});
