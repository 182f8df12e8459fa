// The studio's catalogues (src-renderer/i18n/locales/<language>/<namespace>.json): every key
// exists in all three languages, nothing is empty, and every translation keeps the English
// text's {{placeholders}} (a lost one would show a hole; a renamed one would show "{{name}}").
// Plural keys (`_one`, `_other`, ...) count by their base key; each language must carry the plural
// forms its own rules need (Spanish and Portuguese have a `many` form for 1 000 000).
import { describe, expect, it } from 'vitest';
import { namespaces, resources, systemLanguage, UI_LANGUAGES } from '../../src-renderer/i18n';

type Catalogue = { [key: string]: string | Catalogue };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}|\$t\(([^)]+)\)/g)].map((m) => m[1] ?? m[2]).sort();
const catalogue = (language: string, namespace: string) => flatten((resources[language]?.[namespace] ?? {}) as Catalogue);
const baseKeys = (keys: Iterable<string>) => new Set([...keys].map((k) => k.replace(PLURAL, '')));

describe('the studio catalogues', () => {
  it('has the three languages and the shared namespace', () => {
    expect(Object.keys(resources).sort()).toEqual([...UI_LANGUAGES].sort());
    expect(namespaces).toContain('common');
  });

  for (const namespace of namespaces) {
    describe(namespace, () => {
      const english = catalogue('en', namespace);
      for (const language of UI_LANGUAGES) {
        it(`${language}: same keys as English, none empty, same placeholders, its plural forms`, () => {
          const texts = catalogue(language, namespace);
          expect(texts.size, `${language}/${namespace}.json is missing or empty`).toBeGreaterThan(0);
          expect([...baseKeys(texts.keys())].sort(), `${language}/${namespace}.json keys`).toEqual([...baseKeys(english.keys())].sort());
          for (const [key, text] of texts) {
            expect(text.trim(), `${language}/${namespace}.json "${key}" is empty`).not.toBe('');
            const englishKey = english.has(key) ? key : key.replace(PLURAL, '_other');
            const source = english.get(englishKey) ?? english.get(key.replace(PLURAL, '_one'));
            if (source !== undefined) expect(placeholders(text), `${language}/${namespace}.json "${key}" placeholders`).toEqual(placeholders(source));
          }
          const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
          const plurals = baseKeys([...texts.keys()].filter((k) => PLURAL.test(k)));
          for (const base of plurals) for (const category of categories) expect(texts.has(`${base}_${category}`), `${language}/${namespace}.json lacks "${base}_${category}"`).toBe(true);
        });
      }
    });
  }
});

describe('the language the studio starts in', () => {
  it('follows the system: pt-* → pt-BR, es-* → es, else English', () => {
    expect(systemLanguage(['pt-PT', 'en'])).toBe('pt-BR');
    expect(systemLanguage(['pt'])).toBe('pt-BR');
    expect(systemLanguage(['es-MX'])).toBe('es');
    expect(systemLanguage(['de-DE', 'es-ES'])).toBe('es');
    expect(systemLanguage(['de-DE', 'fr'])).toBe('en');
    expect(systemLanguage(['en-GB', 'pt-BR'])).toBe('en');
    expect(systemLanguage([])).toBe('en');
  });
});
