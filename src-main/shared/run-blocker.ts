// One reason a flow may not talk to customers now (simulator, WhatsApp, the HTTP chat): in English
// for the CLI and logs, and as catalogue keys for the studio's language. A validator finding
// carries its problem text (shared/problem-texts); a server that cannot be used carries owner
// texts (common:ownerTexts), and, when it waits for approval, the consent line it would run
// (shared/consent-texts), put into the owner texts' `command` value.
import { z } from 'zod';
import { ConsentTextSchema } from './consent-texts';
import { OwnerTextSchema, type OwnerText } from './owner-text';
import { ProblemTextSchema } from './problem';

export const RunBlockerSchema = z.object({
  /** In English. */
  message: z.string(),
  text: ProblemTextSchema.optional(),
  ownerTexts: z.array(OwnerTextSchema).optional(),
  commandText: ConsentTextSchema.optional(),
});
export type RunBlocker = z.infer<typeof RunBlockerSchema>;

/** Where a flow can be refused; the refusal's first line is common:ownerTexts.flowBlocked.<where>. */
export const REFUSED_AT = ['simulator', 'tests', 'whatsapp', 'http'] as const;
export type RefusedAt = (typeof REFUSED_AT)[number];

/** "“Support” cannot be simulated until these 2 problems are fixed:" as a catalogue key. */
export const refusalHeadline = (where: RefusedAt, flow: string, blockers: readonly RunBlocker[]): OwnerText => ({
  key: `flowBlocked.${where}`,
  params: { flow, count: blockers.length },
});
