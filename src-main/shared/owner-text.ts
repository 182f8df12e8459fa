// A sentence the main process says to the owner, as a catalogue key and its values, next to the
// English words (kept for the CLI, logs and older windows). The studio shows it in its own
// language: src-renderer/i18n/locales/<lang>/common.json, under "ownerTexts.<key>", with the
// English words as the fallback for a key the window does not know.
import { z } from 'zod';

export const OwnerTextSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type OwnerText = z.infer<typeof OwnerTextSchema>;
