import { familyProxyJoin, reachableIdentityJoin } from '../delivery/recipients';

/**
 * Who a survey question about a trainee goes to (docs/surveys.md, "Family members"): the trainee's own chat, or,
 * when they have none (SMS at most), the family member who signed them up most recently (family_links), if that
 * proxy is reachable — the same rule as class reminders (db/repositories/reminder-repository.ts). By chat rather
 * than SMS when only the trainee has a phone (a chat costs nothing).
 *
 * Joins, for the trainee in `personColumn` and the channels in `channelsParam`: `ci` (their own chat), `px` (the
 * proxy's) and `pp` (the proxy, set only when the question goes to them) with `fl.relation`. The select list
 * below gives the recipient's chat, `proxy_id`, `member_name` and `relation` (null for the trainee's own chat).
 */
export function surveyRecipientJoin(personColumn: string, channelsParam: string): string {
  return `
       ${reachableIdentityJoin(personColumn, channelsParam, 'ci')}
       ${familyProxyJoin(personColumn, channelsParam, 'ci')}`;
}

/** The recipient's columns for surveyRecipientJoin; `locale` is the recipient's (the proxy's when it is them). */
export function surveyRecipientColumns(personAlias: string): string {
  return `coalesce(pp.locale, ${personAlias}.locale) AS locale,
       CASE WHEN pp.id IS NOT NULL THEN px.channel ELSE ci.channel END AS channel,
       CASE WHEN pp.id IS NOT NULL THEN px.chat_id ELSE ci.chat_id END AS chat_id,
       CASE WHEN pp.id IS NOT NULL THEN px.external_id ELSE ci.external_id END AS external_id,
       pp.id AS proxy_id,
       CASE WHEN pp.id IS NOT NULL THEN ${personAlias}.real_name END AS member_name,
       CASE WHEN pp.id IS NOT NULL THEN fl.relation END AS relation`;
}

/**
 * Who may answer a question about the trainee in `personColumn`: the trainee, or a family member who signed
 * them up (a family link). `personParam` is the one answering. Which question a typed answer means is decided
 * by what was sent to whom (satisfaction-survey-port.ts); a pressed choice names its question.
 */
export function mayAnswer(personColumn: string, personParam: string): string {
  return `(${personColumn} = ${personParam} OR EXISTS (
    SELECT 1 FROM family_links fa WHERE fa.member_id = ${personColumn} AND fa.proxy_id = ${personParam}))`;
}
