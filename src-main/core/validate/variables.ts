// Variables: a template may only use a variable that some path from the start has saved
// by then (forward "may be defined" dataflow to a fixpoint), and placeholders must be
// well formed.
import { edgeHandle, type FlowNode } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { malformedPlaceholders, rootOf, templatePaths } from '../template';
import { BUILT_IN_VARS, VAR_PATH } from './content';
import { nameOf, warning, type FlowGraph } from './graph';

interface TemplateUse {
  field: string;
  template: string;
  /** Variables saved earlier in the same step that this template may already use. */
  local?: string[];
  /** Not a template but one variable path (a condition rule's `var`). */
  path?: boolean;
}

/** Every template (or variable path) a step evaluates. */
export function templateUses(node: FlowNode): TemplateUse[] {
  switch (node.type) {
    case 'message':
      return [{ field: 'data.text', template: node.data.text }];
    case 'ask': {
      const uses = [{ field: 'data.question', template: node.data.question }];
      if (node.data.retryText !== undefined) uses.push({ field: 'data.retryText', template: node.data.retryText });
      return uses;
    }
    case 'tool':
      return Object.entries(node.data.args).map(([name, template]) => ({ field: `data.args.${name}`, template }));
    case 'set': {
      // Assignments apply in order: a value may use a variable assigned just above it.
      const keys = Object.keys(node.data.assign);
      return Object.entries(node.data.assign).map(([name, template], i) => ({ field: `data.assign.${name}`, template, local: keys.slice(0, i) }));
    }
    case 'llm':
      return node.data.input !== undefined ? [{ field: 'data.input', template: node.data.input }] : [];
    case 'handoff':
    case 'end':
      return node.data.text !== undefined ? [{ field: 'data.text', template: node.data.text }] : [];
    case 'condition':
      // A rule's var is a plain path; one that is not (CONDITION_BAD_VAR) is not checked here.
      return node.data.rules.flatMap((r, i) => (VAR_PATH.test(r.var) ? [{ field: `data.rules[${i}].var`, template: r.var, path: true }] : []));
    case 'start':
      return [];
  }
}

/** Variables a step saves when the conversation leaves it through `handle`. */
function savedOn(node: FlowNode, handle: string): string[] {
  switch (node.type) {
    case 'ask': // the answer is saved once accepted: not when leaving through "invalid"
      return node.data.saveAs !== undefined && handle !== 'invalid' ? [node.data.saveAs] : [];
    case 'tool': // the result exists only when the call succeeded
      return node.data.saveAs !== undefined && handle === 'next' ? [node.data.saveAs] : [];
    case 'llm':
      return node.data.output.mode === 'save' && handle === 'next' ? [node.data.output.var] : [];
    case 'set':
      return handle === 'next' ? Object.keys(node.data.assign) : [];
    default:
      return [];
  }
}

/** What may be set when the conversation arrives at a step; `undefined` for unreachable steps. */
export type ArrivalVariables = Map<string, { has(name: string): boolean }>;

/**
 * For each reachable step id: the variables that may be set when the conversation arrives.
 * Sets are bitsets over the flow's saved variable names: along a long chain every step
 * inherits everything before it, and copying string sets made this quadratic in practice.
 */
export function definedOnArrival(graph: FlowGraph): ArrivalVariables {
  const result: ArrivalVariables = new Map();
  if (!graph.start) return result;
  const index = new Map<string, number>();
  const savedBits = new Map<string, Uint32Array>(); // per "nodeId\0handle"
  const words = () => Math.ceil(index.size / 32) || 1;
  const savedPairs: [string, string[]][] = [];
  for (const [id, nodes] of graph.nodesWithId) {
    for (const edge of graph.out.get(id) ?? []) {
      const key = `${id}\0${edgeHandle(edge)}`;
      const names = nodes.flatMap((n) => savedOn(n, edgeHandle(edge)));
      for (const name of names) if (!index.has(name)) index.set(name, index.size);
      savedPairs.push([key, names]);
    }
  }
  const size = words();
  for (const [key, names] of savedPairs) {
    const bits = new Uint32Array(size);
    for (const name of names) {
      const i = index.get(name)!;
      bits[i >>> 5]! |= 1 << (i & 31);
    }
    savedBits.set(key, bits);
  }

  const arriving = new Map<string, Uint32Array>([[graph.start.id, new Uint32Array(size)]]);
  const todo = [graph.start.id];
  const queued = new Set(todo);
  for (let head = 0; head < todo.length; head++) {
    const id = todo[head]!;
    queued.delete(id);
    const before = arriving.get(id)!;
    for (const edge of graph.out.get(id) ?? []) {
      const saved = savedBits.get(`${id}\0${edgeHandle(edge)}`);
      let into = arriving.get(edge.target);
      const fresh = !into;
      if (!into) arriving.set(edge.target, (into = new Uint32Array(size)));
      let grew = false;
      for (let w = 0; w < size; w++) {
        const next = into[w]! | before[w]! | (saved?.[w] ?? 0);
        if (next !== into[w]) {
          into[w] = next;
          grew = true;
        }
      }
      if ((fresh || grew) && !queued.has(edge.target)) {
        queued.add(edge.target);
        todo.push(edge.target);
      }
    }
  }
  for (const [id, bits] of arriving) {
    result.set(id, {
      has: (name) => {
        const i = index.get(name);
        return i !== undefined && (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
      },
    });
  }
  return result;
}

export function variableProblems(graph: FlowGraph): Problem[] {
  const arriving = definedOnArrival(graph);
  const problems: Problem[] = [];
  for (const node of graph.flow.nodes) {
    const defined = arriving.get(node.id);
    const reported = new Set<string>();
    for (const use of templateUses(node)) {
      if (!use.path) {
        for (const bad of malformedPlaceholders(use.template)) {
          problems.push(warning('TEMPLATE_MALFORMED', { nodeId: node.id, field: use.field }, 'TEMPLATE_MALFORMED', { step: nameOf(node), bad }));
        }
      }
      // Unreachable steps are reported once as unreachable, not once per variable.
      if (!defined) continue;
      const roots = (use.path ? [use.template] : templatePaths(use.template)).map(rootOf);
      for (const root of roots) {
        if (root === '' || reported.has(root) || isBuiltIn(root) || defined.has(root) || use.local?.includes(root)) continue;
        reported.add(root);
        problems.push(warning('TEMPLATE_UNDEFINED_VAR', { nodeId: node.id, field: use.field }, 'TEMPLATE_UNDEFINED_VAR', { step: nameOf(node), name: root }));
      }
    }
  }
  return problems;
}

const isBuiltIn = (name: string) => (BUILT_IN_VARS as readonly string[]).includes(name);
