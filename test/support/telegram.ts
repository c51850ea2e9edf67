import { randomBytes } from 'node:crypto';
import { type BotMessage, startTelegramEmulator, type TelegramEmulator } from '../../bench/telegram-emulator';
import { TelegramChannel, type TelegramChannelOptions } from '../../src/channels/telegram/telegram-channel';
import { createTranslator } from '../../src/i18n/i18n';
import { createLogger } from '../../src/logger';
import type { ChannelHarness, SeenMessage } from './channel-conformance';

export { type BotMessage, startTelegramEmulator, type TelegramEmulator };

/** A bot token of the shape BotFather gives (the emulator accepts any), unique per call. */
export function testToken(): string {
  return `${100000 + (randomBytes(3).readUIntBE(0, 3) % 900000)}:TEST-${randomBytes(16).toString('hex')}`;
}

/** The real channel on the emulator, with a fresh token. */
export function telegramChannel(
  emulator: TelegramEmulator,
  options: Partial<TelegramChannelOptions> = {},
): { channel: TelegramChannel; token: string } {
  const token = options.token ?? testToken();
  const channel = new TelegramChannel({
    token,
    apiRoot: emulator.apiRoot,
    sendRatePerSecond: 25,
    defaultLocale: 'zh-CN',
    translator: createTranslator(),
    logger: createLogger('silent'),
    ...options,
  });
  return { channel, token };
}

export const seen = (m: BotMessage): SeenMessage => ({ text: m.text, choices: m.buttons.map((b) => b.text) });

/** The conformance harness: one private chat, the user pressing real inline buttons. */
export async function telegramHarness(): Promise<ChannelHarness> {
  const emulator = await startTelegramEmulator();
  const { channel, token } = telegramChannel(emulator);
  const user = emulator.user({ token, userId: 4242 });
  const shown: BotMessage[] = [];
  return {
    channel,
    userAddress: { channel: 'telegram', chatId: String(user.chatId) },
    userSends: (text) => user.send(text),
    async userChooses(index, message) {
      const raw = shown.findLast((m) => m.text === message.text && m.buttons.length > 0);
      if (!raw) throw new Error('no message with buttons to press');
      await user.press(raw, index);
    },
    async received(count) {
      const messages = await user.received(count);
      shown.push(...messages);
      return messages.map(seen);
    },
    close: () => emulator.close(),
  };
}
