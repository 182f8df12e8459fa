// The outgoing handles each node type offers, and how to follow one.
import { edgeHandle, stepExits, type Flow, type FlowEdge, type FlowNode } from '../shared/flow';

export function handlesOf(node: FlowNode): string[] {
  return stepExits(node);
}

/** The edge leaving `nodeId` through `handle`, if the owner connected one. */
export function edgeFrom(flow: Flow, nodeId: string, handle: string): FlowEdge | undefined {
  return flow.edges.find((e) => e.source === nodeId && edgeHandle(e) === handle);
}

export function nodeById(flow: Flow, nodeId: string): FlowNode | undefined {
  return flow.nodes.find((n) => n.id === nodeId);
}
