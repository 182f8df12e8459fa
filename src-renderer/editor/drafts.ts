// Unsaved work kept in localStorage, one entry per flow id, so closing the window (or losing
// the connection) mid-edit loses nothing: the next time the flow opens, the draft is offered.
// A draft may hold a step the file format does not accept yet (a tool step with no tool picked),
// so it is read with a schema that relaxes exactly that, built from the shared schemas.
import { z } from 'zod';
import {
  AskNodeSchema,
  ConditionNodeSchema,
  EndNodeSchema,
  FlowSchema,
  HandoffNodeSchema,
  LlmNodeSchema,
  MessageNodeSchema,
  SetNodeSchema,
  StartNodeSchema,
  ToolDataSchema,
  ToolNodeSchema,
  type Flow,
} from '../../src-main/shared/flow';

const DraftToolNodeSchema = ToolNodeSchema.extend({ data: ToolDataSchema.extend({ server: z.string(), tool: z.string() }) });

/** A flow as the editor may hold it mid-edit: FlowSchema, except a tool may not be picked yet and the name may be empty. */
export const DraftFlowSchema = FlowSchema.extend({
  name: z.string(),
  nodes: z.array(
    z.discriminatedUnion('type', [
      StartNodeSchema,
      MessageNodeSchema,
      AskNodeSchema,
      LlmNodeSchema,
      DraftToolNodeSchema,
      ConditionNodeSchema,
      SetNodeSchema,
      HandoffNodeSchema,
      EndNodeSchema,
    ]),
  ),
});

const DraftRecordSchema = z.object({ version: z.literal(1), savedAt: z.number(), flow: z.unknown() });

export interface Draft {
  savedAt: number;
  flow: Flow;
}

export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const draftKey = (flowId: string): string => `flowbot.draft.${flowId}`;

/** The browser's localStorage, or null where it is unavailable (private mode, tests). */
export function browserStorage(): DraftStorage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null;
  }
}

export function writeDraft(storage: DraftStorage | null, flow: Flow, savedAt = Date.now()): boolean {
  if (!storage) return false;
  try {
    storage.setItem(draftKey(flow.id), JSON.stringify({ version: 1, savedAt, flow }));
    return true;
  } catch {
    return false; // storage full or blocked: the autosave is still the main path
  }
}

export function readDraft(storage: DraftStorage | null, flowId: string): Draft | null {
  if (!storage) return null;
  let text: string | null;
  try {
    text = storage.getItem(draftKey(flowId));
  } catch {
    return null;
  }
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const record = DraftRecordSchema.safeParse(value);
  if (!record.success) return null;
  const flow = DraftFlowSchema.safeParse(record.data.flow);
  if (!flow.success || flow.data.id !== flowId) return null;
  return { savedAt: record.data.savedAt, flow: flow.data };
}

export function clearDraft(storage: DraftStorage | null, flowId: string): void {
  try {
    storage?.removeItem(draftKey(flowId));
  } catch {
    /* nothing to do */
  }
}

/** Same content (ignoring key order)? Used to offer a draft only when it differs from the file. */
export function sameFlow(a: Flow, b: Flow): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    }
    return v;
  });
}
