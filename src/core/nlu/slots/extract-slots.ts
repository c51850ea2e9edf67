import { z } from 'zod';
import { COUNTIES, FAMILY_RELATIONS, GROUPS, TRADES } from '../../domain';
import type { Lexicon } from '../lexicon';
import { normalizeForMatch } from '../lexicon';
import { extractAge, extractBirthYear } from './age';
import { extractIdNumber } from './id-number';
import { extractCounty, extractGroups, extractTrades } from './lexicon-slots';
import { extractPhone } from './phone';
import { extractRelation } from './relation';

/** What one message says about the person or what they want; kept in session state, hence a schema. */
export const slotsSchema = z.object({
  county: z.enum(COUNTIES).optional(),
  /** The first trade named; `trades` lists all of them. */
  trade: z.enum(TRADES).optional(),
  trades: z.array(z.enum(TRADES)).optional(),
  groups: z.array(z.enum(GROUPS)).optional(),
  age: z.number().int().optional(),
  birthYear: z.number().int().optional(),
  /** Raw candidate, digits only; not yet confirmed by the person. */
  phone: z.string().optional(),
  /** Raw 15/18-char candidate with X upper-cased; check digit not validated here. */
  idNumber: z.string().optional(),
  /** Who a sign-up is for when it is a family member ("帮我女儿报名"): what they are to the writer. */
  relation: z.enum(FAMILY_RELATIONS).optional(),
});
export type Slots = z.infer<typeof slotsSchema>;

/**
 * Pulls every slot out of one message. Never throws; input is normalised and cut to MAX_NLU_INPUT first,
 * so a pasted essay costs the same as a short line.
 */
export function extractSlots(text: string, lexicon: Lexicon): Slots {
  const norm = normalizeForMatch(typeof text === 'string' ? text : '');
  if (!norm) return {};
  const slots: Slots = {};
  const idNumber = extractIdNumber(norm);
  // An ID number holds a birth date and digits that look like other things; read the rest without it.
  const rest = idNumber ? norm.replace(idNumber.toLowerCase(), ' ') : norm;

  const county = extractCounty(rest, lexicon);
  if (county) slots.county = county;
  const trades = extractTrades(rest, lexicon);
  if (trades.length > 0) {
    slots.trade = trades[0];
    slots.trades = trades;
  }
  const groups = extractGroups(rest, lexicon);
  if (groups.length > 0) slots.groups = groups;
  const age = extractAge(rest);
  if (age !== undefined) slots.age = age;
  const birthYear = extractBirthYear(rest);
  if (birthYear !== undefined) slots.birthYear = birthYear;
  const phone = extractPhone(rest);
  if (phone) slots.phone = phone;
  if (idNumber) slots.idNumber = idNumber;
  const relation = extractRelation(rest);
  if (relation) slots.relation = relation;
  return slots;
}
