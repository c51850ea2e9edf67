import type { Writable } from 'node:stream';
import qrcodeTerminal from 'qrcode-terminal';
import type { Wechaty } from 'wechaty';
import { ScanStatus } from 'wechaty-puppet/types';
import type { Logger } from '../../logger';

export interface LoginState {
  loggedIn: boolean;
  /** When the account last logged in: messages sent long before it are backlog. */
  loginAt?: Date;
  selfId?: string;
  selfName?: string;
  /** Set by a clean stop: the logout that follows is expected, not a warning. */
  stopping?: boolean;
}

/**
 * Login, logout, errors and reconnects, logged. The QR code is drawn in the terminal (for whoever runs the
 * bot next to the phone) and logged as a link (for whoever reads the logs of a server).
 */
export function watchLifecycle(
  bot: Wechaty,
  state: LoginState,
  logger: Logger,
  qrOutput: Writable,
  onLogin: () => void,
  onLogout: () => void = () => {},
): void {
  let everLoggedIn = false;

  bot.on('scan', (qrcode, status) => {
    if (status === ScanStatus.Waiting || status === ScanStatus.Timeout) {
      qrcodeTerminal.generate(qrcode, { small: true }, (art) => {
        qrOutput.write(`\n${art}\n`);
      });
      logger.info(
        { qrcode, url: qrcodeLink(qrcode) },
        'WeChat: scan the QR code with the bot account to log in',
      );
    } else {
      logger.info({ status: ScanStatus[status] }, 'WeChat: login QR code status');
    }
  });

  bot.on('login', (user) => {
    state.loggedIn = true;
    state.loginAt = new Date();
    state.selfId = user.id;
    state.selfName = user.name();
    logger.info(
      { account: user.name(), reconnected: everLoggedIn },
      everLoggedIn ? 'WeChat: logged in again' : 'WeChat: logged in',
    );
    everLoggedIn = true;
    onLogin();
  });

  bot.on('logout', (user, reason) => {
    state.loggedIn = false;
    onLogout();
    if (state.stopping) {
      logger.info({ account: user.name() }, 'WeChat: logged out as the bot stops');
      return;
    }
    logger.warn(
      { account: user.name(), reason },
      'WeChat: logged out; sends wait for the next login (scan the new QR code if one is shown)',
    );
  });

  const quiet = throttle(60_000);
  bot.on('error', (error) => {
    // A puppet that cannot reach WeChat retries many times a second: log each distinct error once a minute.
    const repeated = quiet(error.message);
    if (repeated === undefined) return;
    // The puppet's watchdog reports a lost connection as an error and restarts the puppet itself.
    if (/watchdog/i.test(error.message))
      logger.warn({ err: error, repeated }, 'WeChat: connection lost, reconnecting');
    else logger.error({ err: error, repeated }, 'WeChat: puppet error');
  });

  bot.on('ready', () => logger.debug('WeChat: contacts and rooms loaded'));
  bot.on('stop', () => logger.info('WeChat: stopped'));
}

/** Wechaty's QR renderer: opening the link shows the code to scan (the raw value works in any QR tool). */
export function qrcodeLink(value: string): string {
  return `https://wechaty.js.org/qrcode/${encodeURIComponent(value)}`;
}

/** Lets a key through at most once per `ms`; returns how many were held back since, or undefined to skip. */
function throttle(ms: number): (key: string) => number | undefined {
  const seen = new Map<string, { at: number; held: number }>();
  return (key) => {
    const now = Date.now();
    const last = seen.get(key);
    if (last && now - last.at < ms) {
      last.held += 1;
      return undefined;
    }
    seen.set(key, { at: now, held: 0 });
    if (seen.size > 200) seen.clear();
    return last?.held ?? 0;
  };
}
