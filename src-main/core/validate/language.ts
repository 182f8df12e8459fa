// The flow's language (flow.language): a BCP 47 tag the bot has its own texts in. Checked here,
// not in the file's envelope, so a typo shows as a problem on a flow that still opens.
import type { Flow } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { canonicalLanguage, catalogueLanguage, CATALOGUES, SUPPORTED_LANGUAGES } from '../../shared/customer-texts';
import { error, warning } from './graph';

export function languageProblems(flow: Flow): Problem[] {
  const { language } = flow;
  if (language === undefined) return [];
  const where = { field: 'language' };
  const tag = canonicalLanguage(language);
  if (tag === undefined) {
    return [error('FLOW_LANGUAGE_INVALID', where, 'FLOW_LANGUAGE_INVALID', { language })];
  }
  const spoken = catalogueLanguage(tag);
  // pt-PT speaks pt-BR's texts, de-CH German's: close enough. A language with nothing close falls to English.
  if (spoken.split('-')[0] !== tag.split('-')[0] || !Object.hasOwn(CATALOGUES, spoken)) {
    return [
      warning('FLOW_LANGUAGE_NO_TEXTS', where, 'FLOW_LANGUAGE_NO_TEXTS', { language, languages: SUPPORTED_LANGUAGES.join(', ') }),
    ];
  }
  return [];
}
