// The outgoing handles each node type offers, and how to follow one.
import { edgeHandle, type Flow, type FlowEdge, type FlowNode } from '../shared/flow';

export function handlesOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'start':
    case 'message':
    case 'llm':
    case 'set':
      return ['next'];
    case 'ask': {
      const a = node.data.answer;
      if (a.kind === 'confirm') return ['yes', 'no'];
      if (a.kind === 'choice') return ['next', 'invalid', ...a.options];
      return ['next', 'invalid'];
    }
    case 'tool':
      return ['next', 'error'];
    case 'condition':
      return [...node.data.rules.map((r) => r.handle), 'else'];
    case 'handoff':
    case 'end':
      return [];
  }
}

/** The edge leaving `nodeId` through `handle`, if the owner connected one. */
export function edgeFrom(flow: Flow, nodeId: string, handle: string): FlowEdge | undefined {
  return flow.edges.find((e) => e.source === nodeId && edgeHandle(e) === handle);
}

export function nodeById(flow: Flow, nodeId: string): FlowNode | undefined {
  return flow.nodes.find((n) => n.id === nodeId);
}
