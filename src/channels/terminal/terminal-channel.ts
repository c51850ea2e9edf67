import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Channel, ChannelCapabilities, InboundHandler } from '../../core/channel';
import type { ChatAddress, OutboundMessage } from '../../core/message';
import { lineToInbound, outboundToText } from './terminal-mapper';

export interface TerminalChannelOptions {
  input: Readable;
  output: Writable;
  /** The worker the developer plays; one terminal is one chat. */
  user?: string;
  prompt?: string;
  /** Printed once before the first prompt: what this is and how to quit. */
  greeting?: string;
}

/** A development chat on stdin/stdout: one person, numbered choices, proactive messages printed inline. */
export class TerminalChannel implements Channel {
  readonly name = 'terminal' as const;
  readonly capabilities: ChannelCapabilities = {
    buttons: false,
    maxTextLength: 100_000,
    sendRatePerSecond: 1000,
    groups: false,
  };
  private rl?: Interface;
  private seq = 0;
  private readonly user: string;
  private closed?: Promise<void>;

  constructor(private readonly options: TerminalChannelOptions) {
    this.user = options.user ?? 'local';
  }

  async start(handler: InboundHandler): Promise<void> {
    const rl = createInterface({ input: this.options.input, output: this.options.output, terminal: false });
    this.rl = rl;
    const prompt = this.options.prompt ?? '> ';
    if (this.options.greeting) this.options.output.write(`${this.options.greeting}\n`);
    this.options.output.write(prompt);
    let queue = Promise.resolve();
    rl.on('line', (line) => {
      // Lines are handled strictly in order, as a person typing them would expect.
      queue = queue.then(async () => {
        const { replies } = await handler(lineToInbound(line, this.user, ++this.seq));
        for (const reply of replies) this.write(reply);
        this.options.output.write(prompt);
      });
    });
    this.closed = new Promise((resolve) => rl.on('close', () => void queue.then(() => resolve())));
  }

  /** Resolves when the input ends (Ctrl-D or end of a piped file) and every line has been answered. */
  whenClosed(): Promise<void> {
    return this.closed ?? Promise.resolve();
  }

  async send(_address: ChatAddress, message: OutboundMessage) {
    this.write(message);
    return { ok: true as const };
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  private write(message: OutboundMessage): void {
    this.options.output.write(`\n${outboundToText(message)}\n`);
  }
}
