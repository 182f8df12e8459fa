// A number as a customer writes it in their language: "1.234,50" in pt-BR and de, "1,234.50" in
// en, "1 234,5" in fr. The locale's separators come from Intl (pure: no I/O).

interface Separators {
  decimal: string;
  /** Characters that group thousands in this locale (any space counts where the locale uses one). */
  groups: string;
}

const SPACES = ' \u00a0\u202f';

function separatorsOf(language: string | undefined): Separators {
  let parts: Intl.NumberFormatPart[];
  try {
    parts = new Intl.NumberFormat(language ?? 'en').formatToParts(1234567.5);
  } catch {
    parts = new Intl.NumberFormat('en').formatToParts(1234567.5);
  }
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  return { decimal, groups: SPACES.includes(group) ? SPACES : group };
}

const escape = (chars: string) => chars.replace(/[\\\]^-]/g, '\\$&');

/**
 * The number, or undefined when the text is not one. Thousands may be grouped by the locale's
 * separator (in threes); its decimal separator marks the fraction. A single "." or "," that
 * cannot be a thousands group ("3,5", "2.75") is read as the decimal point in any locale, as
 * people type on phones.
 */
export function parseNumber(text: string, language: string | undefined): number | undefined {
  const written = text.trim();
  const { decimal, groups } = separatorsOf(language);
  const sign = '([-+\\u2212]?)';
  const grouped = new RegExp(`^${sign}(\\d{1,3}(?:[${escape(groups)}]\\d{3})+|\\d+)(?:${escape(decimal)}(\\d+))?$`);
  const m = grouped.exec(written);
  if (m) return toNumber(m[1]!, m[2]!.replace(/\D/g, ''), m[3]);
  const plain = /^([-+\u2212]?)(\d+)(?:[.,](\d+))?$/.exec(written);
  if (plain) return toNumber(plain[1]!, plain[2]!, plain[3]);
  return undefined;
}

function toNumber(sign: string, whole: string, fraction: string | undefined): number {
  const value = Number(`${whole}${fraction !== undefined ? `.${fraction}` : ''}`);
  return sign === '-' || sign === '\u2212' ? -value : value;
}
