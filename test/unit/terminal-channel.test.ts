import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalChannel } from '../../src/channels/terminal/terminal-channel';
import { outboundToText } from '../../src/channels/terminal/terminal-mapper';
import { channelConformance, type SeenMessage } from '../support/channel-conformance';
import { repliesOnly } from '../support/echo-result';

/** Reads what the terminal printed and splits it back into bot messages. */
function terminalHarness() {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  let consumed = 0;
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  const channel = new TerminalChannel({ input, output, prompt: '' });
  const messages = (): SeenMessage[] =>
    printed
      .split('\n\n')
      .map((block) => block.trim())
      .filter(Boolean)
      .map((block) => {
        const lines = block.split('\n');
        const choices = lines.filter((l) => /^ {2}\d+\. /.test(l)).map((l) => l.replace(/^ {2}\d+\. /, ''));
        return { text: lines.filter((l) => !/^ {2}\d+\. /.test(l)).join('\n'), choices };
      });
  return {
    channel,
    userAddress: { channel: 'terminal' as const, chatId: 'local' },
    userSends: async (text: string) => {
      input.write(`${text}\n`);
    },
    userChooses: async (index: number) => {
      input.write(`${index}\n`);
    },
    received: async (count: number) => {
      for (let i = 0; i < 200 && messages().length < consumed + count; i++)
        await new Promise((r) => setTimeout(r, 10));
      const out = messages().slice(consumed, consumed + count);
      consumed += count;
      return out;
    },
    close: async () => {
      input.end();
    },
  };
}

channelConformance('terminal', async () => terminalHarness());

describe('terminal mapper', () => {
  it('numbers choices so they can be answered with the number', () => {
    expect(outboundToText({ text: '请选择', choices: ['报名', '其他'] })).toBe(
      '请选择\n  1. 报名\n  2. 其他',
    );
  });
});

describe('the terminal chat as `npm run chat` opens it', () => {
  it('greets once, saying what it is and how to quit, before the first prompt', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    const greeting = (await import('../../src/i18n/i18n')).createTranslator().forLocale('zh-CN')(
      'common:terminalGreeting',
    );
    const channel = new TerminalChannel({ input, output, greeting });
    await channel.start(async () => repliesOnly());
    expect(printed).toBe(`${greeting}\n> `);
    expect(greeting).toContain('Ctrl-D');
    await channel.stop();
  });
});
