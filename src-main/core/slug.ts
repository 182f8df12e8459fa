// A readable id from a name people typed: "Order help: Größe & Preis" -> "order-help-grosse-preis".
// Flow ids, test case ids and bot ids are made this way (flow and case ids are file names).

/** Names Windows reserves whatever the extension (`con.flow.json` cannot be created there). */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/** Lowercase letters, digits and dashes, at most `maxLength`; `fallback` when nothing is left; a reserved name gets `-<fallback>`. */
export function slugFromName(name: string, options: { maxLength: number; fallback: string }): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, options.maxLength)
    .replace(/-+$/, '');
  if (slug === '') return options.fallback;
  return RESERVED.test(slug) ? `${slug}-${options.fallback}` : slug;
}
