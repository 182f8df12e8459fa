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
    return [error('FLOW_LANGUAGE_INVALID', where, `The flow's language "${language}" is not a language tag. Write one like "en", "pt-BR" or "es" (or choose it in the flow's settings).`)];
  }
  const spoken = catalogueLanguage(tag);
  // pt-PT speaks pt-BR's texts, de-CH German's: close enough. A language with nothing close falls to English.
  if (spoken.split('-')[0] !== tag.split('-')[0] || !Object.hasOwn(CATALOGUES, spoken)) {
    return [
      warning(
        'FLOW_LANGUAGE_NO_TEXTS',
        where,
        `The bot has no texts of its own in "${language}", so it will say things like "Reply YES to confirm" in English. Choose one of ${SUPPORTED_LANGUAGES.join(', ')}, or write the bot's texts for this language in the bot's settings.`,
      ),
    ];
  }
  return [];
}
