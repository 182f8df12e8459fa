// The sign-in's sentences in the studio's languages (en, pt-BR, es), one source for the main
// process (English messages, the loopback page in the browser's language) and the studio (merged
// into common:ownerTexts.signIn by src-renderer/i18n). Keys travel as OwnerText "signIn.<key>".
import type { OwnerText } from '../owner-text';
import type { StudioLanguage } from '../accept-language';
import { en, type SignInCatalogue, type SignInTextKey } from './en';
import { es } from './es';
import { ptBR } from './pt-BR';

export type { SignInCatalogue, SignInTextKey } from './en';

export const SIGN_IN_CATALOGUES: Readonly<Record<StudioLanguage, SignInCatalogue>> = { en, 'pt-BR': ptBR, es };

const PREFIX = 'signIn.';

/** `{{name}}` filled from params (an unknown one is left as written). */
export function fillSignIn(text: string, params: Readonly<Record<string, string | number>> = {}): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** Sentences in one language, joined; a key of another area is left out. */
export function renderSignIn(language: StudioLanguage, texts: readonly OwnerText[]): string {
  const catalogue = SIGN_IN_CATALOGUES[language];
  return texts
    .filter((t) => t.key.startsWith(PREFIX) && Object.hasOwn(catalogue, t.key.slice(PREFIX.length)))
    .map((t) => fillSignIn(catalogue[t.key.slice(PREFIX.length) as SignInTextKey], t.params))
    .join(' ');
}
