import type { Api } from 'grammy';
import type { BotCommand, BotCommandScope, LanguageCode } from 'grammy/types';
import { findCourseCode } from '../../core/dialog/course-code';
import type { Locale } from '../../core/domain';
import type { Translate, Translator } from '../../core/i18n';
import type { Logger } from '../../logger';

/** What a command does: feed the dialog the words a person would type, or a group-linking action. */
export type CommandAction =
  | { type: 'dialog'; text: string }
  | { type: 'link'; code?: string }
  /** Not one of ours: handled as the text the person typed. */
  | { type: 'typed' };

/** Deep-link payloads are limited to A-Z, a-z, 0-9, _ and -: course codes come as ZX-DS-01 or ZX_DS_01. */
const COURSE_PAYLOAD = /^[A-Za-z]{2}[-_][A-Za-z]{2,4}[-_]\d{2}$/;
/**
 * Coordinator invite links are t.me/<bot>?start=<code> (or inv-<code>); the dialog redeems "/start <code>"
 * and tells a wrong code apart itself.
 */
const INVITE_PAYLOAD = /^(?:inv[-_])?([A-Za-z0-9]{4,16})$/i;

/**
 * Maps a command onto the dialog's own inputs (locale words from locales/<lng>/telegram.json, chosen by the
 * person's Telegram language), so /help does exactly what typing "帮助" does.
 */
export function commandAction(name: string, args: string, t: Translate): CommandAction {
  const arg = args.trim();
  switch (name.toLowerCase()) {
    case 'start':
      return { type: 'dialog', text: startInput(arg, t) };
    case 'help':
      return { type: 'dialog', text: t('telegram:input.help') };
    case 'lang':
    case 'language':
      return { type: 'dialog', text: languageInput(arg, t) };
    case 'mycourses':
      return { type: 'dialog', text: t('telegram:input.myCourses') };
    case 'cancel':
      return { type: 'dialog', text: t('telegram:input.cancel') };
    case 'link':
      return { type: 'link', code: findCourseCode(arg) };
    default:
      return { type: 'typed' };
  }
}

/** The check-in QR code's deep link, t.me/<bot>?start=ci_<token> (docs/attendance.md): the dialog checks the token. */
const CHECKIN_PAYLOAD = /^ci_[A-Za-z0-9_-]{28}$/;

function startInput(payload: string, t: Translate): string {
  if (CHECKIN_PAYLOAD.test(payload)) return `/start ${payload}`;
  if (COURSE_PAYLOAD.test(payload)) {
    return t('telegram:input.enrolCourse', { code: findCourseCode(payload) });
  }
  const invite = INVITE_PAYLOAD.exec(payload);
  if (invite) return `/start ${invite[1]}`;
  // No payload, or one we do not understand (a mistyped or tampered link): the usual greeting.
  return t('telegram:input.greeting');
}

function languageInput(arg: string, t: Translate): string {
  if (/^(zh|cn|中文|汉语|chinese)/i.test(arg)) return t('telegram:input.languageZh');
  if (/^(en|english|英文|英语)/i.test(arg)) return t('telegram:input.languageEn');
  return t('telegram:input.language');
}

export interface CommandMenu {
  commands: BotCommand[];
  scope?: BotCommandScope;
  /** Telegram picks the list by the user's app language; none = everyone else. */
  language_code?: LanguageCode;
}

const PRIVATE_COMMANDS = ['start', 'help', 'lang', 'mycourses', 'cancel'] as const;
const GROUP_COMMANDS = ['help', 'link'] as const;

/** The command lists for setMyCommands: Chinese for zh apps, English for every other language. */
export function commandMenus(translator: Translator): CommandMenu[] {
  const menus: CommandMenu[] = [];
  for (const [locale, language_code] of [
    ['en', undefined],
    ['zh-CN', 'zh'],
  ] as const satisfies ReadonlyArray<readonly [Locale, LanguageCode | undefined]>) {
    const t = translator.forLocale(locale);
    const list = (names: readonly string[]) =>
      names.map((command) => ({ command, description: t(`telegram:commands.${command}`) }));
    menus.push({ commands: list(PRIVATE_COMMANDS), scope: { type: 'default' }, language_code });
    menus.push({ commands: list(GROUP_COMMANDS), scope: { type: 'all_group_chats' }, language_code });
  }
  return menus;
}

/** setMyCommands for every menu; a failure only costs the menu (and Bot API emulators lack the method). */
export async function registerCommandMenus(api: Api, translator: Translator, log: Logger): Promise<void> {
  const failed: unknown[] = [];
  for (const menu of commandMenus(translator)) {
    await api
      .setMyCommands(menu.commands, { scope: menu.scope, language_code: menu.language_code })
      .catch((error: unknown) => failed.push(error));
  }
  if (failed.length) log.warn({ err: failed[0] }, 'setMyCommands failed; the command menu may be stale');
}
