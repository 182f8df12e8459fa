// The editor store: history, clipboard, selection, connections and the one-click write-guard
// fix, checked through the flow they produce (what would be saved).
import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../../src-renderer/editor/editor-store';
import { edge, flow, line, n } from './flow-builders';

const start = (f = flow([n.start(), n.message('hello', 'Hi'), n.end('bye')], line('start', 'hello', 'bye'))) => {
  let t = 1_000;
  const store = createEditorStore({ now: () => t, historyLimit: 5, coalesceMs: 1000 });
  store.getState().load(f);
  return { store, tick: (ms: number) => (t += ms), s: () => store.getState(), saved: () => store.getState().currentFlow()! };
};

describe('editor store', () => {
  it('loads a flow as saved, with no history', () => {
    const { s } = start();
    expect(s().revision).toBe(0);
    expect(s().savedRevision).toBe(0);
    expect(s().past).toEqual([]);
    expect(s().save.kind).toBe('saved');
  });

  it('adds a step where it was dropped, selects it, and undo/redo take it away and back', () => {
    const { s, saved } = start();
    const id = s().addStep('ask', { x: 100, y: 200 });
    expect(id).toBe('ask-1');
    expect(saved().nodes.at(-1)).toEqual({ id: 'ask-1', type: 'ask', position: { x: 100, y: 200 }, data: { question: '', answer: { kind: 'text' } } });
    expect(s().nodes.filter((node) => node.selected).map((node) => node.id)).toEqual(['ask-1']);
    expect(s().save.kind).toBe('pending');
    s().undo();
    expect(saved().nodes.map((node) => node.id)).toEqual(['start', 'hello', 'bye']);
    s().redo();
    expect(saved().nodes.map((node) => node.id)).toEqual(['start', 'hello', 'bye', 'ask-1']);
    expect(s().future).toEqual([]);
  });

  it('connects one exit to one step: a new connection from the same exit replaces the old', () => {
    const { s, saved } = start(flow([n.start(), n.message('a'), n.message('b')], [edge('start', 'next', 'a', 'e1')]));
    expect(s().connect({ source: 'start', sourceHandle: 'next', target: 'b', targetHandle: null })).toBe(true);
    expect(saved().edges).toEqual([{ id: 'e2', source: 'start', sourceHandle: 'next', target: 'b' }]);
    expect(s().connect({ source: 'a', sourceHandle: 'next', target: 'start', targetHandle: null })).toBe(false);
    expect(s().connect({ source: 'a', sourceHandle: 'next', target: 'a', targetHandle: null })).toBe(false);
  });

  it('turns a burst of typing in one field into one undo step', () => {
    const { s, tick, saved } = start();
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) {
      s().updateStep('hello', (st) => (st.type === 'message' ? { ...st, data: { text } } : st), 'text');
      tick(200);
    }
    expect(s().past).toHaveLength(1);
    tick(5000);
    s().updateStep('hello', (st) => (st.type === 'message' ? { ...st, data: { text: 'Hello!' } } : st), 'text');
    expect(s().past).toHaveLength(2);
    s().undo();
    expect(saved().nodes[1]).toMatchObject({ data: { text: 'Hello' } });
    s().undo();
    expect(saved().nodes[1]).toMatchObject({ data: { text: 'Hi' } });
  });

  it('keeps a bounded history', () => {
    const { s } = start();
    for (let i = 0; i < 12; i++) s().addStep('end', { x: i, y: i });
    expect(s().past).toHaveLength(5);
  });

  it('records a drag once (at its start) and not per frame; a drag that moved nothing leaves no step', () => {
    const { s, saved } = start();
    s().beginDrag();
    for (let x = 1; x <= 5; x++) s().onNodesChange([{ type: 'position', id: 'hello', position: { x: x * 10, y: 0 }, dragging: true }]);
    expect(s().revision).toBe(0);
    s().onNodesChange([{ type: 'position', id: 'hello', position: { x: 60, y: 5 }, dragging: false }]);
    s().endDrag();
    expect(s().revision).toBe(1);
    expect(s().past).toHaveLength(1);
    expect(saved().nodes[1]?.position).toEqual({ x: 60, y: 5 });
    s().beginDrag();
    s().endDrag();
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(saved().nodes[1]?.position).toEqual({ x: 0, y: 0 });
  });

  it('does not count selecting or measuring as a change', () => {
    const { s } = start();
    s().onNodesChange([{ type: 'select', id: 'hello', selected: true }]);
    s().onNodesChange([{ type: 'dimensions', id: 'hello', dimensions: { width: 200, height: 60 } }]);
    s().onEdgesChange([{ type: 'select', id: 'start.next->hello', selected: true }]);
    expect(s().revision).toBe(0);
    expect(s().past).toEqual([]);
  });

  it('deletes the selected steps with their connections, but never the start', () => {
    const { s, saved } = start();
    s().selectOnly(['start', 'hello']);
    expect(s().deleteSelected()).toBe(1);
    expect(saved().nodes.map((node) => node.id)).toEqual(['start', 'bye']);
    expect(saved().edges).toEqual([]);
    s().undo();
    expect(saved().edges).toHaveLength(2);
  });

  it('deletes a selected connection alone', () => {
    const { s, saved } = start();
    s().selectOnly([], ['hello.next->bye']);
    expect(s().deleteSelected()).toBe(1);
    expect(saved().edges.map((e) => e.id)).toEqual(['start.next->hello']);
  });

  it('React Flow removals keep the start step', () => {
    const { s, saved } = start();
    s().onNodesChange([
      { type: 'remove', id: 'start' },
      { type: 'remove', id: 'bye' },
    ]);
    expect(saved().nodes.map((node) => node.id)).toEqual(['start', 'hello']);
    expect(saved().edges.map((e) => e.id)).toEqual(['start.next->hello']);
  });

  it('copies the selected steps with the connections between them and pastes fresh copies, offset', () => {
    const { s, saved } = start();
    s().selectOnly(['hello', 'bye']);
    expect(s().copySelected()).toBe(2);
    expect(s().paste()).toBe(2);
    const f = saved();
    expect(f.nodes.map((node) => node.id)).toEqual(['start', 'hello', 'bye', 'message-1', 'end-1']);
    expect(f.nodes[3]).toMatchObject({ type: 'message', position: { x: 40, y: 80 }, data: { text: 'Hi' } });
    expect(f.edges.at(-1)).toEqual({ id: 'e1', source: 'message-1', sourceHandle: 'next', target: 'end-1' });
    expect(s().nodes.filter((node) => node.selected).map((node) => node.id)).toEqual(['message-1', 'end-1']);
    s().paste();
    expect(saved().nodes.at(-1)).toMatchObject({ id: 'end-2', position: { x: 80, y: 160 } });
  });

  it('keeps connections when an option is renamed and drops those of a removed exit', () => {
    const f = flow([n.start(), n.choice('pick', ['low', 'high']), n.end('a'), n.end('b')], [edge('start', 'next', 'pick', 'e1'), edge('pick', 'low', 'a', 'e2'), edge('pick', 'high', 'b', 'e3')]);
    const { s, saved } = start(f);
    s().updateStep('pick', (st) => (st.type === 'ask' ? { ...st, data: { ...st.data, answer: { kind: 'choice', options: ['low', 'urgent'] } } } : st), 'option-1');
    expect(saved().edges.find((e) => e.id === 'e3')?.sourceHandle).toBe('urgent');
    s().updateStep('pick', (st) => (st.type === 'ask' ? { ...st, data: { ...st.data, answer: { kind: 'confirm' } } } : st), 'answer');
    expect(saved().edges.map((e) => e.id)).toEqual(['e1']);
  });

  it('switching a confirmation to another answer kind drops its Yes/No connections instead of moving them', () => {
    const f = flow([n.start(), n.confirm('ok'), n.end('a'), n.end('b')], [edge('start', 'next', 'ok', 'e1'), edge('ok', 'yes', 'a', 'e2'), edge('ok', 'no', 'b', 'e3')]);
    const { s, saved } = start(f);
    s().updateStep('ok', (st) => (st.type === 'ask' ? { ...st, data: { ...st.data, answer: { kind: 'date' } } } : st), 'answer');
    expect(saved().edges.map((e) => e.id)).toEqual(['e1']);
  });

  it('edits the flow name and description as content (saved with the flow)', () => {
    const { s, saved } = start();
    s().updateMeta({ name: 'Opening hours' });
    expect(saved().name).toBe('Opening hours');
    expect(s().revision).toBe(1);
  });

  it('counts problems per step for the badges', () => {
    const { s } = start();
    s().setProblems(
      [
        { code: 'A', severity: 'error', nodeId: 'hello', message: 'x' },
        { code: 'B', severity: 'warning', nodeId: 'hello', message: 'y' },
        { code: 'C', severity: 'error', message: 'flow-level' },
      ],
      0,
    );
    expect(s().problemCounts).toEqual({ hello: { errors: 1, warnings: 1 } });
  });

  it('gives each card its counts through its node data, leaving the other nodes untouched', () => {
    const { s } = start();
    const [startNode, , byeNode] = s().nodes;
    s().setProblems([{ code: 'A', severity: 'error', nodeId: 'hello', message: 'x' }], 0);
    expect(s().nodes[1]?.data).toMatchObject({ errors: 1, warnings: 0 });
    expect(s().nodes[0]).toBe(startNode);
    expect(s().nodes[2]).toBe(byeNode);
    const hello = s().nodes[1];
    s().setProblems([{ code: 'A', severity: 'error', nodeId: 'hello', message: 'again' }], 1);
    expect(s().nodes[1]).toBe(hello);
    s().setProblems([], 2);
    expect(s().nodes[1]?.data).toMatchObject({ errors: 0, warnings: 0 });
    expect(s().revision).toBe(0);
    expect(s().currentFlow()?.nodes[1]).toEqual({ id: 'hello', type: 'message', position: { x: 0, y: 0 }, data: { text: 'Hi' } });
  });

  it('asks the canvas to measure a step again when its exits change, not otherwise', () => {
    const { s } = start(flow([n.start(), n.ask('q')]));
    s().updateStep('q', (st) => (st.type === 'ask' ? { ...st, data: { ...st.data, question: 'New?' } } : st), 'question');
    expect(s().remeasure).toBeNull();
    s().updateStep('q', (st) => (st.type === 'ask' ? { ...st, data: { ...st.data, answer: { kind: 'confirm' } } } : st), 'answer');
    expect(s().remeasure).toEqual({ ids: ['q'], seq: 1 });
  });

  it('adds a confirmation in front of a write tool as one undo step', () => {
    const f = flow([n.start(), n.ask('subject', { saveAs: 'subject' }), n.tool('create', { server: 'crm', tool: 'create_ticket', args: { subject: '{{subject}}' } }), n.end('done')], [edge('start', 'next', 'subject', 'e1'), edge('subject', 'next', 'create', 'e2'), edge('create', 'next', 'done', 'e3')]);
    const { s, saved } = start(f);
    const askId = s().addConfirmation('create');
    expect(askId).toBe('confirm-create');
    const out = saved();
    expect(out.edges.find((e) => e.id === 'e2')?.target).toBe('confirm-create');
    expect(out.edges).toContainEqual({ id: 'e4', source: 'confirm-create', sourceHandle: 'yes', target: 'create' });
    expect(s().nodes.filter((node) => node.selected).map((node) => node.id)).toEqual(['confirm-create']);
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(saved()).toEqual(f);
  });
});
