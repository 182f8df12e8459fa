// Loops in which the bot never waits for the customer could run forever (and call tools
// forever). Only a question waits, so we look for strongly connected components (Tarjan)
// of the graph without its question steps.
import type { Problem } from '../../shared/problem';
import { nameOf, warning, type FlowGraph } from './graph';

export function cycleProblems(graph: FlowGraph): Problem[] {
  const waits = (id: string) => (graph.nodesWithId.get(id) ?? []).some((n) => n.type === 'ask');
  const next = new Map<string, string[]>();
  for (const e of graph.followable) {
    if (waits(e.source) || waits(e.target)) continue;
    next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  }
  const order = [...graph.nodesWithId.keys()].filter((id) => !waits(id));
  const position = new Map(order.map((id, i) => [id, i]));
  return stronglyConnected(order, (id) => next.get(id) ?? [])
    .filter((scc) => scc.length > 1 || (next.get(scc[0]!) ?? []).includes(scc[0]!))
    .map((scc) => new Set(scc))
    .map((scc) => order.filter((id) => scc.has(id))) // in the order of the flow file
    .sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)!)
    .map((ids) => {
      const names = ids.map((id) => nameOf(graph.nodesWithId.get(id)![0]!));
      if (names.length === 1) return warning('FLOW_CYCLE_NO_WAIT', { nodeId: ids[0] }, 'FLOW_CYCLE_NO_WAIT.self', { step: names[0]! });
      return warning('FLOW_CYCLE_NO_WAIT', { nodeId: ids[0] }, 'FLOW_CYCLE_NO_WAIT', { steps: names.map((name) => `"${name}"`) });
    });
}

/** Tarjan's algorithm, iterative (no recursion limit on large flows). */
export function stronglyConnected(ids: string[], successors: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const frames: { id: string; succ: string[]; i: number }[] = [];
    const enter = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      frames.push({ id, succ: successors(id), i: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const w = frame.succ[frame.i++];
      if (w !== undefined) {
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const scc: string[] = [];
        let w2: string | undefined;
        do {
          w2 = stack.pop()!;
          onStack.delete(w2);
          scc.push(w2);
        } while (w2 !== frame.id);
        result.push(scc);
      }
    }
  }
  return result;
}
