import { COUNTIES } from '../../core/domain';
import type { Translate } from '../../core/i18n';
import { html, type SafeHtml } from '../html';

/** A county <select>'s options: the "all counties" one (its words given), then the 11 counties by name. */
export function countyOptions(t: Translate, allLabel: string, selected: string | undefined): SafeHtml {
  return html`<option value="">${allLabel}</option>${COUNTIES.map(
    (c) =>
      html`<option value="${c}"${selected === c ? html` selected` : ''}>${t(`domain:county.${c}`)}</option>`,
  )}`;
}
