// The flow of bench/editor.ts: NODES steps of every kind in a grid, chained one after the
// other, and valid for the validator (no problems shown, like a finished flow): the tool step
// follows a Yes/No confirmation, every decision has its "otherwise".
import { FlowSchema, type Flow, type FlowEdge, type FlowNode } from '../src-main/shared/flow';

export function benchFlow(count = 1000, columns = 25): Flow {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const exits = (n: FlowNode): string[] => (n.type === 'ask' && n.data.answer.kind === 'confirm' ? ['yes'] : n.type === 'condition' ? ['shipped', 'else'] : ['next']);
  for (let i = 0; i < count; i++) {
    const id = i === 0 ? 'start' : `s${i}`;
    const position = { x: (i % columns) * 260, y: Math.floor(i / columns) * 150 };
    const k = i % 6;
    let node: FlowNode;
    if (i === 0) node = { id, type: 'start', position, data: {} };
    else if (i === count - 1) node = { id, type: 'end', position, data: { text: 'Bye!' } };
    else if (k === 0) node = { id, type: 'message', position, label: `Message ${i}`, data: { text: `Hello {{contact.name}}, this is message ${i}.` } };
    else if (k === 1) node = { id, type: 'ask', position, label: `Question ${i}`, data: { question: `Which one, ${i}?`, saveAs: `answer_${i}`, answer: { kind: 'choice', options: ['yes', 'no', 'maybe'] } } };
    else if (k === 2) node = { id, type: 'ask', position, label: `Confirm ${i}`, data: { question: `Shall I look up {{answer_${i - 1}}}?`, answer: { kind: 'confirm' } } };
    else if (k === 3) node = { id, type: 'tool', position, label: `Look up ${i}`, data: { server: 'crm', tool: 'get_order_status', args: { orderId: `{{answer_${i - 2}}}` }, saveAs: `order_${i}` } };
    else if (k === 4 && i % 12 < 6) node = { id, type: 'llm', position, data: { instructions: 'Answer briefly.', tools: [], output: { mode: 'reply' } } };
    else if (k === 4) node = { id, type: 'set', position, data: { assign: { [`v_${i}`]: `{{order_${i - 1}.status}}` } } };
    else node = { id, type: 'condition', position, data: { rules: [{ var: `order_${i - 2}.status`, op: 'equals', value: 'shipped', handle: 'shipped' }] } };
    const prev = nodes[i - 1];
    nodes.push(node);
    if (prev) for (const handle of exits(prev)) edges.push({ id: `e${edges.length + 1}`, source: prev.id, sourceHandle: handle, target: id });
  }
  return FlowSchema.parse({ schemaVersion: 1, id: 'bench-1000', name: `Benchmark (${count} steps)`, nodes, edges });
}
