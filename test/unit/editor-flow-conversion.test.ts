// The editor's pure conversions between the flow file and React Flow, and the schema check
// that decides whether a flow can be saved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowSchema } from '../../src-main/shared/flow';
import { checkFlow, flowToGraph, graphToFlow, toFlowNode } from '../../src-renderer/editor/flow-conversion';
import { defaultStep, exitsOf, stepOf, summaryOf } from '../../src-renderer/editor/step-catalog';
import { PALETTE } from '../../src-renderer/editor/step-catalog';
import { edge, flow, n, rule } from './flow-builders';

const template = (id: string) => FlowSchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, '../../flows', `${id}.flow.json`), 'utf8')));

describe('flow <-> React Flow', () => {
  it.each(['faq', 'order-status', 'support-ticket'])('round-trips the %s template unchanged', (id) => {
    const f = template(id);
    const g = flowToGraph(f);
    expect(g.nodes).toHaveLength(f.nodes.length);
    expect(g.nodes.every((node) => node.type === node.data.step.type)).toBe(true);
    expect(graphToFlow(g.meta, g.nodes, g.edges)).toEqual(f);
  });

  it("keeps the flow's own fields through the editor (language, and any field added later)", () => {
    const f = { ...flow([n.start(), n.end()], [edge('start', 'next', 'end')]), language: 'pt-BR', description: 'Bolos' };
    const { meta, nodes, edges } = flowToGraph(f);
    expect(meta.language).toBe('pt-BR');
    expect(graphToFlow(meta, nodes, edges)).toMatchObject({ language: 'pt-BR', description: 'Bolos' });
  });

  it("writes a new step's text in the flow's language", () => {
    expect(defaultStep('handoff', 'de')).toEqual({ type: 'handoff', data: { text: 'Eine Kollegin oder ein Kollege übernimmt dieses Gespräch gleich.' } });
    expect(defaultStep('handoff')).toEqual({ type: 'handoff', data: { text: 'One moment please, a colleague will take over this chat.' } });
  });

  it('gives an edge without a handle the "next" handle React Flow draws, and writes it explicitly', () => {
    const f = flow([n.start(), n.message('m')], [edge('start', null, 'm', 'e1')]);
    const g = flowToGraph(f);
    expect(g.edges[0]).toMatchObject({ id: 'e1', source: 'start', sourceHandle: 'next', target: 'm' });
    expect(graphToFlow(g.meta, g.nodes, g.edges).edges[0]).toEqual({ id: 'e1', source: 'start', sourceHandle: 'next', target: 'm' });
  });

  it('keeps a targetHandle from the file aside and writes it back', () => {
    const f = flow([n.start(), n.message('m')], [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'm', targetHandle: 'in' }]);
    const g = flowToGraph(f);
    expect(g.edges[0]?.targetHandle).toBeUndefined();
    expect(graphToFlow(g.meta, g.nodes, g.edges).edges[0]?.targetHandle).toBe('in');
  });

  it('rounds positions to whole pixels when saving', () => {
    const node = toFlowNode('m', { x: 10.4, y: -3.6 }, { type: 'message', data: { text: 'Hi' } });
    expect(node.position).toEqual({ x: 10, y: -4 });
  });

  it('keeps the label and the data of every kind of step', () => {
    const f = flow([n.start(), n.ask('a', { saveAs: 'x' }, { label: 'Ask it' }), n.tool('t', { server: 'crm', tool: 'create_ticket', args: { subject: '{{x}}' } })]);
    const back = graphToFlow(flowToGraph(f).meta, flowToGraph(f).nodes, flowToGraph(f).edges);
    expect(back.nodes[1]).toEqual(f.nodes[1]);
    expect(back.nodes[2]).toEqual(f.nodes[2]);
    expect(stepOf(f.nodes[1]!)).toEqual({ type: 'ask', label: 'Ask it', data: { question: 'Question a?', saveAs: 'x', answer: { kind: 'text' } } });
  });
});

describe('checkFlow (may it be saved?)', () => {
  it('accepts a valid flow and returns the parsed copy', () => {
    const f = template('support-ticket');
    const check = checkFlow(JSON.parse(JSON.stringify(f)));
    expect(check).toEqual({ ok: true, flow: f });
  });

  it('names the step and the field when a tool is not picked yet', () => {
    const f = { ...flow([n.start()]), nodes: [...flow([n.start()]).nodes, toFlowNode('tool-1', { x: 0, y: 0 }, { type: 'tool', label: 'Create it', data: { server: '', tool: '', args: {} } })] };
    const check = checkFlow(f);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reasons).toEqual(['the step “Create it” has no tool picked yet: pick one in the panel on the right']);
  });

  it('names a step without a label by its kind and id', () => {
    const f = flow([n.start(), n.ask('q')]);
    const check = checkFlow({ ...f, nodes: [f.nodes[0], { ...f.nodes[1], data: { question: 'Q', saveAs: 'my var', answer: { kind: 'text' } } }] });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reasons[0]).toMatch(/^the step “Ask a question \(q\)” \(save the answer as\): a variable name uses letters/);
  });

  it('refuses what is not a flow at all', () => {
    expect(checkFlow({ hello: 1 }).ok).toBe(false);
    expect(checkFlow(null).ok).toBe(false);
  });
});

describe('step catalogue', () => {
  it('starts every palette step with data its schema accepts, except the tool (picked in the inspector)', () => {
    for (const type of PALETTE) {
      const node = toFlowNode('x', { x: 0, y: 0 }, defaultStep(type));
      const ok = checkFlow({ schemaVersion: 1, id: 'f', name: 'F', nodes: [node], edges: [] }).ok;
      expect(ok, type).toBe(type !== 'tool');
    }
  });

  it('labels the exits as the validator names them', () => {
    expect(exitsOf({ type: 'ask', data: { question: 'Sure?', answer: { kind: 'confirm' } } }).map((h) => [h.id, h.label])).toEqual([
      ['yes', 'Yes'],
      ['no', 'No'],
    ]);
    expect(exitsOf({ type: 'ask', data: { question: 'Pick', answer: { kind: 'choice', options: ['low', 'high'] } } }).map((h) => h.id)).toEqual(['next', 'low', 'high', 'invalid']);
    expect(exitsOf({ type: 'tool', data: { server: 's', tool: 't', args: {} } }).map((h) => h.label)).toEqual(['Done', 'If it fails']);
    expect(exitsOf({ type: 'condition', data: { rules: [rule('x', 'equals', 'a', 'is a')] } }).map((h) => h.label)).toEqual(['is a', 'Otherwise']);
    expect(exitsOf({ type: 'end', data: {} })).toEqual([]);
  });

  it('summarises a step in one line', () => {
    expect(summaryOf({ type: 'message', data: { text: 'Hello\nthere' } })).toBe('“Hello there”');
    expect(summaryOf({ type: 'tool', data: { server: 'crm', tool: 'create_ticket', args: {}, saveAs: 'ticket' } })).toBe('create_ticket on crm → ticket');
    expect(summaryOf({ type: 'tool', data: { server: '', tool: '', args: {} } })).toBe('No tool picked yet');
    expect(summaryOf({ type: 'message', data: { text: 'x'.repeat(200) } }).length).toBeLessThanOrEqual(82);
  });
});
