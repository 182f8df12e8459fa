// The words a confirmation shows instead of technical ids: an action label for the call
// ("Fazer o pedido do bolo") and a label per argument ("Sabor"). Presentation only: they are
// never part of what a confirmation is bound to (core/call-hash.ts), and they can neither hide
// nor reorder a value (core/show-args.ts shows every argument sent, in the same order).
// Shared by the runtime (labels from the pinned tool's input schema), the engine (the owner's
// labels on the step win) and the editor (suggestions).
import { z } from 'zod';

export const CallLabelsSchema = z.object({
  action: z.string().optional(),
  args: z.record(z.string(), z.string()).optional(),
});
/** What a confirmation calls one call and its arguments; anything missing is shown by its id. */
export type CallLabels = z.infer<typeof CallLabelsSchema>;

/** Longest description still read as a label ("Customer number"); longer ones are explanations. */
const SHORT_DESCRIPTION = 40;
/** A description with quotes, sentence or list punctuation explains rather than names ('Defaults to "normal"'). */
const EXPLAINS = /["“”.,:;()?!\n]/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The label an input schema gives each argument: its `title`, else its `description` when that
 * is short and reads as a name. Arguments without either are left out (shown by their id).
 */
export function schemaArgLabels(inputSchema: unknown): Record<string, string> {
  if (!isRecord(inputSchema) || !isRecord(inputSchema.properties)) return {};
  const labels = new Map<string, string>();
  for (const [name, raw] of Object.entries(inputSchema.properties)) {
    if (!isRecord(raw)) continue;
    const title = typeof raw.title === 'string' ? raw.title.trim() : '';
    const description = typeof raw.description === 'string' ? raw.description.trim() : '';
    if (title) labels.set(name, title);
    else if (description && description.length <= SHORT_DESCRIPTION && !EXPLAINS.test(description)) labels.set(name, description);
  }
  // fromEntries: own properties only, so an argument named "__proto__" is just a name.
  return Object.fromEntries(labels);
}

/** The owner's labels on a step over the schema's (a blank owner label counts as none). */
export function mergeLabels(schema: Readonly<Record<string, string>> | undefined, owner: { actionLabel?: string; argLabels?: Record<string, string> } | undefined): CallLabels {
  const args = new Map<string, string>();
  for (const source of [schema ?? {}, owner?.argLabels ?? {}]) {
    for (const [name, label] of Object.entries(source)) if (label.trim()) args.set(name, label);
  }
  const action = owner?.actionLabel?.trim() ? owner.actionLabel : undefined;
  return { ...(action !== undefined ? { action } : {}), ...(args.size > 0 ? { args: Object.fromEntries(args) } : {}) };
}

export const hasLabels = (labels: CallLabels | undefined): boolean => labels?.action !== undefined || Object.keys(labels?.args ?? {}).length > 0;
