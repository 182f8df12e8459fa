// Reading a flow file: JSON -> envelope -> each node's data -> a valid Flow.
// Problems are collected per node (not one opaque failure) so the editor can show them on
// the right card. `flow` is returned only when everything parsed, and it is built by
// FlowSchema itself: never a cast.
import { FlowEnvelopeSchema, FlowSchema, NODE_DATA_SCHEMAS, NODE_TYPES, type Flow, type NodeType } from '../shared/flow';
import type { Problem } from '../shared/problem';
import { locateJsonError } from './json-position';
import { envelopeMessage, nodeFieldMessage } from './flow-problem-words';
import { describeIssue, formatPath } from './zod-issues';

export interface ParsedFlow {
  flow?: Flow;
  problems: Problem[];
}

export function parseFlowText(text: string, source: string): ParsedFlow {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors on Windows add a BOM
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const at = locateJsonError(body, error);
    return {
      problems: [
        {
          code: 'FLOW_JSON_INVALID',
          severity: 'error',
          message: `${source} line ${at.line}, column ${at.column}: ${at.reason}`,
        },
      ],
    };
  }
  return parseFlowValue(value, source);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined => (isRecord(v) && typeof v.id === 'string' && v.id !== '' ? v.id : undefined);
const isNodeType = (t: string): t is NodeType => Object.hasOwn(NODE_DATA_SCHEMAS, t);

/** For JSON that is already parsed (editor state, API input). */
export function parseFlowValue(value: unknown, source: string): ParsedFlow {
  if (!isRecord(value)) {
    return {
      problems: [schemaProblem(`${source} is not a flow: expected an object with schemaVersion, id, name, nodes and edges`)],
    };
  }
  const version = value.schemaVersion;
  if (typeof version === 'number' && version !== 1) {
    return {
      problems: [
        {
          code: 'FLOW_VERSION_UNSUPPORTED',
          severity: 'error',
          field: 'schemaVersion',
          message: `${source} uses flow format version ${version}, but this version of Flowbot Studio reads version 1. Update Flowbot Studio to open it.`,
        },
      ],
    };
  }

  const problems: Problem[] = [];
  const brokenNodes = new Set<number>();
  const envelope = FlowEnvelopeSchema.safeParse(value);
  if (!envelope.success) {
    for (const issue of envelope.error.issues) {
      const [head, index, ...rest] = issue.path;
      const problem = schemaProblem(envelopeMessage(issue, value));
      problem.field = formatPath(issue.path);
      if ((head === 'nodes' || head === 'edges') && typeof index === 'number') {
        const items = value[head];
        const id = idOf(Array.isArray(items) ? items[index] : undefined);
        if (head === 'nodes') {
          brokenNodes.add(index);
          if (id !== undefined) {
            problem.nodeId = id;
            if (rest.length > 0) problem.field = formatPath(rest);
          }
        } else if (id !== undefined) problem.edgeId = id;
      } else if (head === 'translations' && typeof rest[0] === 'string') {
        problem.nodeId = rest[0]; // translations.<language>.<step id>.<field>
      }
      problems.push(problem);
    }
  }

  // Check each node's data even when other parts of the file are broken: one pass, all findings.
  const nodes = Array.isArray(value.nodes) ? value.nodes : [];
  nodes.forEach((node: unknown, index) => {
    if (!brokenNodes.has(index) && isRecord(node)) problems.push(...nodeDataProblems(node));
  });
  if (problems.length > 0) return { problems };

  const flow = FlowSchema.safeParse(value);
  if (!flow.success) {
    // Unreachable when the envelope and every node's data parsed; kept so nothing is ever cast.
    return { problems: flow.error.issues.map((i) => schemaProblem(`${formatPath(i.path)}: ${describeIssue(i, value)}`)) };
  }
  return { flow: flow.data, problems: [] };
}

function schemaProblem(message: string): Problem {
  return { code: 'FLOW_SCHEMA_INVALID', severity: 'error', message };
}

function nodeDataProblems(node: Record<string, unknown>): Problem[] {
  const id = String(node.id);
  const type = String(node.type);
  const name = typeof node.label === 'string' && node.label.trim() !== '' ? node.label.trim() : id;
  if (!isNodeType(type)) {
    return [
      {
        code: 'NODE_UNKNOWN_TYPE',
        severity: 'error',
        nodeId: id,
        field: 'type',
        message: `The step "${name}" has the type "${type}", which this version of Flowbot Studio does not know. Known types: ${NODE_TYPES.join(', ')}.`,
      },
    ];
  }
  const parsed = NODE_DATA_SCHEMAS[type].safeParse(node.data);
  if (parsed.success) return [];
  const problems = parsed.error.issues.map((issue): Problem => {
    const field = formatPath(issue.path, 'data');
    if (type === 'ask' && issue.path[0] === 'question') {
      return {
        code: 'ASK_NO_QUESTION',
        severity: 'error',
        nodeId: id,
        field,
        message: `The question step "${name}" has no question text. Write the question the customer should answer.`,
      };
    }
    return { code: 'NODE_FIELD_INVALID', severity: 'error', nodeId: id, field, message: nodeFieldMessage(type, name, issue, node.data) };
  });
  // "No tool yet" comes from both an empty server and an empty tool: say it once.
  return problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
}
