import { findCourseCode } from '../../course-code';
import type { FlowInput } from '../../flow';
import type { Turn } from '../../turn';

/**
 * The class a coordinator picked from the classes offered: the choice pressed, a course code typed, or words
 * ("二期") found in exactly one offered label. Words found in several: 'several' (ask again, never a guess).
 */
export function pickedClass(turn: Turn, input: FlowInput): string | 'several' | undefined {
  if (input.value?.startsWith('class:')) return input.value.slice(6);
  const code = findCourseCode(input.text);
  if (code) return code;
  const words = input.text.trim();
  if (!words || words.length > 40) return undefined;
  const hits = turn.session.choices.flatMap((c) =>
    c.action.type === 'flow' && c.action.value?.startsWith('class:') && c.label.includes(words)
      ? [c.action.value.slice(6)]
      : [],
  );
  return hits.length > 1 ? 'several' : hits[0];
}
