// Flow file format, schemaVersion 1 (DESIGN §3). One schema per node type; a flow
// is first read as an envelope (any node type) so that problems can be reported per
// node id instead of as one opaque parse failure.
import { z } from 'zod';

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

const template = z.string().describe('Text with {{variables}}, e.g. {{contact.name}} or {{last_message}}');
const varName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name uses letters, digits and _ and does not start with a digit');

export const StartDataSchema = z.object({}).strict();
export const MessageDataSchema = z.object({ text: template });

export const AnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text') }),
  z.object({ kind: z.literal('number') }),
  z.object({ kind: z.literal('choice'), options: z.array(z.string()) }),
  z.object({ kind: z.literal('confirm') }),
  /** Saved as an ISO date (YYYY-MM-DD): "24/12", "amanhã", "saturday"... (README "Answer kinds"). */
  z.object({ kind: z.literal('date') }),
  /** Saved as digits, with a leading + for an international number. */
  z.object({ kind: z.literal('phone') }),
  z.object({ kind: z.literal('email') }),
]);
export type Answer = z.infer<typeof AnswerSchema>;

export const AskDataSchema = z.object({
  question: template,
  saveAs: varName.optional(),
  answer: AnswerSchema,
  retryText: template.optional(),
  maxRetries: z.number().int().min(0).max(20).optional(),
});

export const ToolRefSchema = z.object({ server: z.string().min(1), tool: z.string().min(1) });
export type ToolRef = z.infer<typeof ToolRefSchema>;

/**
 * What the customer's confirmation of a call says instead of ids, in the flow's language
 * (shared/call-labels.ts): never part of what the confirmation is bound to.
 */
const callLabelFields = {
  /** Names the call, e.g. "Fazer o pedido do bolo" (plain text, no {{variables}}). */
  actionLabel: z.string().optional(),
  /** Argument id -> its name for the customer, over the tool's schema title. */
  argLabels: z.record(z.string(), z.string()).optional(),
};

/** A tool an AI step may use, with the words its confirmation shows. */
export const LlmToolSchema = ToolRefSchema.extend(callLabelFields);
export type LlmTool = z.infer<typeof LlmToolSchema>;

/**
 * An AI step's knowledge (README "Answers from your documents"): the top passages of these
 * collections for the customer's message go to the model as untrusted reference data.
 */
export const LlmKnowledgeSchema = z.object({
  collections: z.array(z.string()),
  /** How many passages the model gets (default 4). */
  limit: z.number().int().min(1).max(20).optional(),
  /** Tell the model to say it does not know when the passages do not answer; when none is found the model is not asked. */
  unknownAnswer: z.boolean().optional(),
});
export type LlmKnowledge = z.infer<typeof LlmKnowledgeSchema>;

export const LlmDataSchema = z.object({
  instructions: z.string(),
  input: template.optional(),
  tools: z.array(LlmToolSchema),
  output: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('reply') }),
    z.object({ mode: z.literal('save'), var: varName }),
  ]),
  maxToolRounds: z.number().int().min(0).max(50).optional(),
  knowledge: LlmKnowledgeSchema.optional(),
});

export const ToolDataSchema = z.object({
  server: z.string().min(1),
  tool: z.string().min(1),
  args: z.record(z.string(), template),
  saveAs: varName.optional(),
  ...callLabelFields,
});

export const ConditionOpSchema = z.enum(['equals', 'contains', 'gt', 'lt', 'exists', 'matches']);
export const ConditionRuleSchema = z.object({
  var: z.string().min(1),
  op: ConditionOpSchema,
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  handle: z.string().min(1),
});
export type ConditionRule = z.infer<typeof ConditionRuleSchema>;
export const ConditionDataSchema = z.object({ rules: z.array(ConditionRuleSchema) });

export const SetDataSchema = z.object({ assign: z.record(varName, template) });
export const HandoffDataSchema = z.object({ text: template.optional() });
export const EndDataSchema = z.object({ text: template.optional() });

const base = {
  id: z.string().min(1),
  position: PositionSchema,
  /** Optional label the owner sees on the card. */
  label: z.string().optional(),
};
const node = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ ...base, type: z.literal(type), data });

export const StartNodeSchema = node('start', StartDataSchema);
export const MessageNodeSchema = node('message', MessageDataSchema);
export const AskNodeSchema = node('ask', AskDataSchema);
export const LlmNodeSchema = node('llm', LlmDataSchema);
export const ToolNodeSchema = node('tool', ToolDataSchema);
export const ConditionNodeSchema = node('condition', ConditionDataSchema);
export const SetNodeSchema = node('set', SetDataSchema);
export const HandoffNodeSchema = node('handoff', HandoffDataSchema);
export const EndNodeSchema = node('end', EndDataSchema);

export const NodeSchema = z.discriminatedUnion('type', [
  StartNodeSchema,
  MessageNodeSchema,
  AskNodeSchema,
  LlmNodeSchema,
  ToolNodeSchema,
  ConditionNodeSchema,
  SetNodeSchema,
  HandoffNodeSchema,
  EndNodeSchema,
]);
export type FlowNode = z.infer<typeof NodeSchema>;
export type NodeType = FlowNode['type'];
export type NodeOf<T extends NodeType> = Extract<FlowNode, { type: T }>;

/** Data schema per node type: the single list of known node types. */
export const NODE_DATA_SCHEMAS = {
  start: StartDataSchema,
  message: MessageDataSchema,
  ask: AskDataSchema,
  llm: LlmDataSchema,
  tool: ToolDataSchema,
  condition: ConditionDataSchema,
  set: SetDataSchema,
  handoff: HandoffDataSchema,
  end: EndDataSchema,
} as const satisfies Record<NodeType, z.ZodType>;
export const NODE_TYPES = Object.keys(NODE_DATA_SCHEMAS) as NodeType[];

/** A flow's id: also its file name (`<id>.flow.json`). */
export const FlowIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a flow id uses lowercase letters, digits and dashes');

export const EdgeSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  /** Missing or null means "next" (React Flow writes null for a node's only handle). */
  sourceHandle: z.string().nullish(),
  target: z.string().min(1),
  targetHandle: z.string().nullish(),
});
export type FlowEdge = z.infer<typeof EdgeSchema>;

/** The fields of a step a translation may carry (which ones per step type: shared/flow-translations.ts). */
export const TRANSLATABLE_FIELD_NAMES = ['text', 'question', 'retryText', 'options', 'action'] as const;
export type TranslatableField = (typeof TRANSLATABLE_FIELD_NAMES)[number];

/** A BCP 47 language tag as flows use them: language, optional script and region ("en", "pt-BR", "zh-Hant-TW"). */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?$/i;

/**
 * One step's texts in another language (README "Multilingual flows"). Only what the customer
 * reads is translated: a choice's options are shown and understood in the translation, in the
 * same order, while the saved value and the exit stay the original option (branches keep working).
 * Unknown fields are kept so the validator can name them (core/validate/translations.ts).
 */
export const StepTranslationSchema = z.looseObject({
  text: template.optional(),
  question: template.optional(),
  retryText: template.optional(),
  options: z.array(z.string()).optional(),
  /** A tool step's action label, as the confirmation shows it. */
  action: z.string().optional(),
});
export type StepTranslation = z.infer<typeof StepTranslationSchema>;

/** Per language (BCP 47, e.g. "en", "es-MX"), per step id: that step's texts in that language. */
export const FlowTranslationsSchema = z.record(z.string(), z.record(z.string(), StepTranslationSchema));
export type FlowTranslations = z.infer<typeof FlowTranslationsSchema>;

const flowFields = {
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  id: FlowIdSchema,
  name: z.string().min(1),
  description: z.string().optional(),
  /**
   * The language the flow is written in and its customers are answered in (BCP 47, "pt-BR"):
   * the bot's own texts come from its catalogue. Absent: the bot's language, else English.
   * Any string here: the validator says what is wrong with a bad one (an envelope failure would
   * hide the whole flow).
   */
  language: z.string().optional(),
  /** The flow's texts in more languages than its own. */
  translations: FlowTranslationsSchema.optional(),
  /**
   * Speak the language the customer writes in (detected from their first messages, among the
   * flow's language and its translations) instead of always the flow's own.
   */
  detectLanguage: z.boolean().optional(),
  edges: z.array(EdgeSchema),
};

export const FlowSchema = z.object({ ...flowFields, nodes: z.array(NodeSchema) });
export type Flow = z.infer<typeof FlowSchema>;

/** A flow whose nodes are only checked for id/type/position; data is parsed per node. */
export const FlowEnvelopeSchema = z.object({
  ...flowFields,
  nodes: z.array(z.object({ ...base, type: z.string().min(1), data: z.unknown() })),
});
export type FlowEnvelope = z.infer<typeof FlowEnvelopeSchema>;

export const edgeHandle = (e: FlowEdge): string => e.sourceHandle ?? 'next';

/** A step as its type and data (a node without id and position). */
export type FlowStep = { [T in NodeType]: { type: T; data: NodeOf<T>['data'] } }[NodeType];

/** The exits (source handle ids) a step offers: the validator, engine and editor share them. */
export function stepExits(step: FlowStep): string[] {
  switch (step.type) {
    case 'start':
    case 'message':
    case 'llm':
    case 'set':
      return ['next'];
    case 'ask': {
      const a = step.data.answer;
      if (a.kind === 'confirm') return ['yes', 'no'];
      if (a.kind === 'choice') return ['next', 'invalid', ...a.options];
      return ['next', 'invalid'];
    }
    case 'tool':
      return ['next', 'error'];
    case 'condition':
      return [...step.data.rules.map((r) => r.handle), 'else'];
    case 'handoff':
    case 'end':
      return [];
  }
}

/** The variables a step saves to, with the field each comes from (validator and editor alike). */
export function savedVariables(step: FlowStep): { name: string; field: string }[] {
  switch (step.type) {
    case 'ask':
    case 'tool':
      return step.data.saveAs !== undefined ? [{ name: step.data.saveAs, field: 'data.saveAs' }] : [];
    case 'llm':
      return step.data.output.mode === 'save' ? [{ name: step.data.output.var, field: 'data.output.var' }] : [];
    case 'set':
      return Object.keys(step.data.assign).map((name) => ({ name, field: `data.assign.${name}` }));
    default:
      return [];
  }
}
