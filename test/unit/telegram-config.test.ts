import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const token = '123456789:AAF_example-token-from-botfather';

describe('Telegram configuration', () => {
  it('is off by default, with Telegram as the API root and port 3000 for the HTTP server', () => {
    const config = loadConfig({});
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(config.PORT).toBe(3000);
    expect(
      loadConfig({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_URL: '' }).TELEGRAM_WEBHOOK_URL,
    ).toBeUndefined();
  });

  it('takes a token, an emulator root and a webhook with its secret', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9000',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
      TELEGRAM_WEBHOOK_SECRET: 'a-long-random-secret',
    });
    expect(config.TELEGRAM_WEBHOOK_URL).toBe('https://bot.example.org/telegram');
  });

  it('refuses a malformed token, a plain-http webhook and a webhook without its secret', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'not-a-token' })).toThrow(
      /TELEGRAM_BOT_TOKEN="not-a-token"/,
    );
    expect(() =>
      loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/x' }),
    ).toThrow(/TELEGRAM_WEBHOOK_URL/);
    const attempt = () =>
      loadConfig({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: 'https://b.example/x' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TELEGRAM_WEBHOOK_SECRET.*required/);
  });
});
