// Small builders for flows in tests (validation, engine, runtime). Every flow they build
// goes through FlowSchema.parse, so a test can never work on a flow the app would refuse.
//
//   const f = flow(
//     [n.start(), n.ask('q', { question: 'Sure?', answer: { kind: 'confirm' } }), n.tool('t', { server: 'crm', tool: 'create_ticket' })],
//     [edge('start', 'next', 'q'), edge('q', 'yes', 't')],
//   );
import {
  FlowSchema,
  type ConditionRule,
  type Flow,
  type FlowEdge,
  type FlowNode,
  type NodeOf,
  type NodeType,
} from '../../src-main/shared/flow';
import { WorkspaceConfigSchema, type ToolClass, type WorkspaceConfig } from '../../src-main/shared/workspace-config';

type DataOf<T extends NodeType> = NodeOf<T>['data'];
type Extra = { label?: string; x?: number; y?: number };

function make<T extends NodeType>(type: T, id: string, data: DataOf<T>, extra: Extra = {}): NodeOf<T> {
  const node = { id, type, position: { x: extra.x ?? 0, y: extra.y ?? 0 }, data } as NodeOf<T>;
  return extra.label !== undefined ? { ...node, label: extra.label } : node;
}

/** One builder per node type; data as in the flow file, with convenient defaults. */
export const n = {
  start: (id = 'start', extra?: Extra) => make('start', id, {}, extra),
  message: (id: string, text = `Message ${id}`, extra?: Extra) => make('message', id, { text }, extra),
  ask: (id: string, data: Partial<DataOf<'ask'>> = {}, extra?: Extra) =>
    make('ask', id, { question: `Question ${id}?`, answer: { kind: 'text' }, ...data }, extra),
  /** A Yes/No confirmation question. */
  confirm: (id: string, question = 'Shall I go ahead?', extra?: Extra) =>
    make('ask', id, { question, answer: { kind: 'confirm' } }, extra),
  choice: (id: string, options: string[], data: Partial<DataOf<'ask'>> = {}, extra?: Extra) =>
    make('ask', id, { question: `Pick one (${id})`, answer: { kind: 'choice', options }, ...data }, extra),
  llm: (id: string, data: Partial<DataOf<'llm'>> = {}, extra?: Extra) =>
    make('llm', id, { instructions: 'Help the customer.', tools: [], output: { mode: 'reply' }, ...data }, extra),
  tool: (id: string, data: Pick<DataOf<'tool'>, 'server' | 'tool'> & Partial<DataOf<'tool'>>, extra?: Extra) =>
    make('tool', id, { args: {}, ...data }, extra),
  condition: (id: string, rules: ConditionRule[], extra?: Extra) => make('condition', id, { rules }, extra),
  set: (id: string, assign: Record<string, string>, extra?: Extra) => make('set', id, { assign }, extra),
  handoff: (id: string, text?: string, extra?: Extra) => make('handoff', id, text === undefined ? {} : { text }, extra),
  end: (id = 'end', text?: string, extra?: Extra) => make('end', id, text === undefined ? {} : { text }, extra),
};

/** A condition rule; the handle defaults to the value (or the op for "exists"). */
export function rule(v: string, op: ConditionRule['op'], value?: ConditionRule['value'], handle?: string): ConditionRule {
  return { var: v, op, ...(value !== undefined ? { value } : {}), handle: handle ?? String(value ?? op) };
}

/** A connection; its id defaults to "source.handle->target". */
export function edge(source: string, handle: string | null, target: string, id?: string): FlowEdge {
  return { id: id ?? `${source}.${handle ?? 'next'}->${target}`, source, sourceHandle: handle, target };
}

/** Connects the steps in order through their "next" exits: line('start', 'a', 'b'). */
export function line(...ids: string[]): FlowEdge[] {
  return ids.slice(1).map((target, i) => edge(ids[i]!, 'next', target));
}

export function flow(nodes: FlowNode[], edges: FlowEdge[] = [], fields: Partial<Pick<Flow, 'id' | 'name' | 'description' | 'language' | 'translations' | 'detectLanguage'>> = {}): Flow {
  return FlowSchema.parse({ schemaVersion: 1, id: 'test-flow', name: 'Test flow', ...fields, nodes, edges });
}

/** The flow as file text (what the CLI and the editor load). */
export const flowText = (f: Flow): string => JSON.stringify(f, null, 2);

/** A workspace config with stdio servers whose tools are classified: config({ crm: { get_order: 'read' } }). */
export function config(servers: Record<string, Record<string, ToolClass>> = {}): WorkspaceConfig {
  return WorkspaceConfigSchema.parse({
    mcpServers: Object.fromEntries(
      Object.entries(servers).map(([name, tools]) => [name, { command: 'node', args: [`${name}.js`], tools }]),
    ),
  });
}
