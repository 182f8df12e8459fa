// A server's consent line (and why it runs without a sandbox) in the studio's language: the main
// process sends it as catalogue keys (shared/consent-texts) next to its English words, which
// approval compares and which are shown where the keys are absent. The config's own words (the
// command, paths, values) are parameters: shown verbatim in every language.
import { formatConsentText, type ConsentText } from '../../src-main/shared/consent-texts';
import { uiLanguage } from '../i18n';

export function consentWords(text: ConsentText | undefined, english: string, language: string = uiLanguage()): string {
  return text ? formatConsentText(text, language) : english;
}
