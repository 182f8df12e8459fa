// The language a page served to a browser speaks, from its Accept-Language: the studio's own
// mapping (pt-* → pt-BR, es-* → es, else en), for the remote sign-in page and the loopback page
// of an MCP sign-in.
export type StudioLanguage = 'en' | 'pt-BR' | 'es';

/** The first language of Accept-Language (by q, then order) the pages speak; English otherwise. */
export function studioLanguageOf(acceptLanguage: string | undefined): StudioLanguage {
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
