// A case's file name from its name: "Customer says no!" -> "customer-says-no".
export const CASE_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const MAX_SLUG_LENGTH = 60;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/; // names Windows refuses whatever the extension

export function caseSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  if (slug === '') return 'case';
  return RESERVED.test(slug) ? `${slug}-case` : slug;
}
