// Sentences the main process says to the owner (server failures, a locked audit key) come with
// a catalogue key next to their English words (src-main/shared/owner-text.ts): shown here in the
// studio's language, from common:ownerTexts.<key>. A key this window does not know (a newer app)
// falls back to the English words, never to the bare key.
import type { OwnerText } from '../../src-main/shared/owner-text';
import { i18n } from './index';

export function ownerText(texts: OwnerText | readonly OwnerText[] | undefined, english: string): string {
  const list = texts === undefined ? [] : Array.isArray(texts) ? texts : [texts as OwnerText];
  // With its values: a plural key (`_one`, `_other`) exists only for a count.
  if (list.length === 0 || !list.every((t) => i18n.exists(`common:ownerTexts.${t.key}`, t.params ?? {}))) return english;
  return list.map((t) => i18n.t(`common:ownerTexts.${t.key}`, t.params ?? {})).join(' ');
}
