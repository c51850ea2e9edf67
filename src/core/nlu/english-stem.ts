const LATIN_WORD = /^[a-z]+$/;

/**
 * A light English suffix stripper (subsidies → subsidy, trainings → train, classes → class) so the
 * few English forms in our data match what people type. Not Porter: it only folds the endings we meet.
 */
export function stemEnglish(token: string): string {
  const word = token.replace(/'s$/, '').replace(/'/g, '');
  if (!LATIN_WORD.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (/(sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
