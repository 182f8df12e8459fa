// The sign-in pages' catalogues (en, pt-BR, es: the studio's languages) and the pick from the
// browser's Accept-Language (shared/accept-language.ts).
import { en, type AccessTexts } from './en';
import { es } from './es';
import { ptBR } from './pt-BR';

export type { AccessTexts } from './en';
export { studioLanguageOf as accessLanguage, type StudioLanguage as AccessLanguage } from '../../../shared/accept-language';
import type { StudioLanguage as AccessLanguage } from '../../../shared/accept-language';

export const ACCESS_TEXTS: Readonly<Record<AccessLanguage, AccessTexts>> = { en, 'pt-BR': ptBR, es };

/** `{{name}}` filled from params. */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
