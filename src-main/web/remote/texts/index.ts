// The sign-in pages' catalogues (en, pt-BR, es: the studio's languages) and the pick from the
// browser's Accept-Language, the same mapping as the studio's (pt-* → pt-BR, es-* → es, else en).
import { en, type AccessTexts } from './en';
import { es } from './es';
import { ptBR } from './pt-BR';

export type { AccessTexts } from './en';
export type AccessLanguage = 'en' | 'pt-BR' | 'es';

export const ACCESS_TEXTS: Readonly<Record<AccessLanguage, AccessTexts>> = { en, 'pt-BR': ptBR, es };

/** The first language of Accept-Language (by q, then order) the pages speak; English otherwise. */
export function accessLanguage(acceptLanguage: string | undefined): AccessLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag !== '' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.split(/[-_]/)[0];
    if (base === 'pt') return 'pt-BR';
    if (base === 'es') return 'es';
    if (base === 'en') return 'en';
  }
  return 'en';
}

/** `{{name}}` filled from params. */
export function fill(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
