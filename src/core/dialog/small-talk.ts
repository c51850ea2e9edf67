import { mainMenu } from './main-menu';
import type { Turn } from './turn';

/**
 * Small talk that is not about training: whether the bot is a machine ("你是机器人吗", "are you a bot?") and
 * pleasantries ("吃饭了没", "how are you"). Answered honestly and briefly by the fallback, never as a policy question
 * the plan "does not cover".
 */
export type SmallTalk = 'bot' | 'chat';

const BOT =
  /(你|您)(们)?(是|是不是)(个|一个)?(机器人|真人|人工智能|ai|机器|程序|自动回复)|是(机器人|真人|机器|程序)(吗|不|嘛|么|哦|啊|还是)|\bare (you|u) (a |an )?(bot|robot|human|real person|real|ai|machine|computer|person)\b|\b(talking|chatting) (to|with) a (bot|robot|machine|human|real person)\b/iu;
const CHAT =
  /^(你|您)?(好吗|最近好吗|最近咋样|还好吗)|^(你|您|你们)?(吃饭|吃)了?(没|吗|没有|没得)[?？!！\s]*$|^(今天|今晚|明天|晚上|中午|早上){0,2}吃(啥|什么|啥子)好|^(在吗|在不在|在没|忙吗|忙不忙|睡了吗)[?？!！\s]*$|^\s*(how are (you|u)|how's it going|how is it going|what's up|are you there|you there)\b/iu;

export function smallTalkOf(text: string): SmallTalk | undefined {
  const t = text.trim();
  if (t.length > 40) return undefined;
  if (BOT.test(t)) return 'bot';
  if (CHAT.test(t)) return 'chat';
  return undefined;
}

/** Answers small talk with the bot's own short reply and the menu; false when the message is not small talk. */
export function answerSmallTalk(turn: Turn): boolean {
  const talk = smallTalkOf(turn.text);
  if (!talk) return false;
  turn.say(`${turn.t(`common:smallTalk.${talk}`)}\n${turn.t('common:menuIntro')}`, mainMenu(turn.t));
  return true;
}

/** "你能帮我干啥", "你是搞啥子的", "what do you do?": asks what the bot is for, which the menu answers. */
const WHAT_BOT_DOES =
  /^(请问)?(你|您|你们)(到底|都|还)?(能|会|可以)(帮我|帮忙)?(干|做|搞|整)?(些)?(什么|啥子?|嘛|哪样)(的|呢|吗|呀|啊|哦|嘛)?[?？!！。\s]*$|^(你|您|你们)(到底)?是(搞|做|干|整)(啥子?|什么|哪样)的|^\s*(so )?what (do|can) you (do|help with)(\s+for me)?\s*[?.!]*$/iu;

export function asksWhatBotDoes(text: string): boolean {
  const t = text.trim();
  return t.length <= 30 && WHAT_BOT_DOES.test(t);
}
