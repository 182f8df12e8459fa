// A confirmation a customer can read: the owner's action label and argument labels (or the
// tool schema's titles) replace technical ids, but only name things. Every argument sent is
// shown, in the same order, escaped as before; what a confirmation is bound to never changes.
import { describe, expect, it } from 'vitest';
import { mergeLabels, schemaArgLabels, type CallLabels } from '../../src-main/shared/call-labels';
import { showCall } from '../../src-main/core/show-args';
import { customerTexts } from '../../src-main/shared/customer-texts';
import { callHash } from '../../src-main/core/call-hash';
import { initialState, step, type Effect, type EngineEvent, type PreparedCall } from '../../src-main/core/engine';
import { ConversationStateSchema, type ConversationState, type PendingCall } from '../../src-main/shared/conversation';
import type { Flow } from '../../src-main/shared/flow';
import { edge, flow, line, n } from './flow-builders';

const en = customerTexts('en');
const cake: PendingCall = { nodeId: 'order', server: 'bakery', tool: 'place_order', args: { flavour: 'chocolate', customerId: 'c7', candles: 3 } };

describe('labels from a tool schema', () => {
  it('takes each property title, else a short description that reads as a name', () => {
    const schema = {
      type: 'object',
      properties: {
        flavour: { type: 'string', title: 'Sabor', description: 'The cake flavour, e.g. "chocolate"' },
        customerId: { type: 'string', description: 'Número do cliente' },
        priority: { type: 'string', description: 'Defaults to "normal"' },
        note: { type: 'string', description: 'Anything the baker should know about the order before baking it' },
        candles: { type: 'integer' },
        blank: { type: 'string', title: '  ' },
      },
    };
    expect(schemaArgLabels(schema)).toEqual({ flavour: 'Sabor', customerId: 'Número do cliente' });
  });

  it('reads odd schemas without surprises', () => {
    expect(schemaArgLabels(undefined)).toEqual({});
    expect(schemaArgLabels({ type: 'object', properties: [] })).toEqual({});
    const labels = schemaArgLabels(JSON.parse('{"properties":{"__proto__":{"title":"Protótipo"}}}'));
    expect(Object.hasOwn(labels, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('lets the step override the schema, a blank override counting as none', () => {
    expect(mergeLabels({ flavour: 'Flavour', candles: 'Candles' }, { actionLabel: 'Fazer o pedido do bolo', argLabels: { flavour: 'Sabor', candles: ' ' } })).toEqual({
      action: 'Fazer o pedido do bolo',
      args: { flavour: 'Sabor', candles: 'Candles' },
    });
    expect(mergeLabels(undefined, { actionLabel: '  ' })).toEqual({});
  });
});

describe('showCall with labels', () => {
  it('names the call and its arguments by their labels, and the rest by their ids', () => {
    expect(showCall(cake, en, { action: 'Fazer o pedido do bolo', args: { flavour: 'Sabor', candles: 'Velas' } })).toBe(
      'Fazer o pedido do bolo\n• Velas: 3\n• customerId: "c7"\n• Sabor: "chocolate"',
    );
  });

  it('falls back to the technical heading, in the conversation\'s language, without an action label', () => {
    expect(showCall(cake, customerTexts('pt-BR'), { args: { flavour: 'Sabor' } }).split('\n')[0]).toBe('Ação: place_order (bakery)');
    expect(showCall(cake, en, { args: { flavour: 'Sabor' } })).toBe('Action: place_order (bakery)\n• candles: 3\n• customerId: "c7"\n• Sabor: "chocolate"');
    expect(showCall(cake, en)).toBe('Action: place_order (bakery)\n• candles: 3\n• customerId: "c7"\n• flavour: "chocolate"');
  });

  it('cannot reorder, hide or add a value: one line per argument sent, in the order of the ids', () => {
    const args = { a: 'first', b: 'second', c: 'third' };
    const call = { ...cake, args };
    const values = (text: string) => text.split('\n').slice(1).map((l) => l.slice(l.lastIndexOf(': ') + 2));
    const plain = showCall(call, en);
    for (const labels of <CallLabels[]>[
      { args: { a: 'Zebra', c: 'Aardvark' } },
      { args: { a: 'Same', b: 'Same', c: 'Same' } },
      { args: { ghost: 'Not sent', b: '' } },
      { action: 'Line one\n• a: "fake"', args: { a: 'x\n• b: "fake"\u2028• c: "fake"' } },
    ]) {
      const shown = showCall(call, en, labels);
      expect(shown.split('\n')).toHaveLength(1 + Object.keys(args).length);
      expect(values(shown)).toEqual(values(plain));
    }
  });

  it('keeps values escaped as before, and shows a label as plain text on one line', () => {
    const call = { ...cake, args: { note: 'Feliz\u202e aniversário\n"Ana"' } };
    expect(showCall(call, en, { action: 'Pedido\n\tdo bolo', args: { note: 'Recado\u200b' } })).toBe('Pedido do bolo\n• Recado\\u200b: "Feliz\\u202e aniversário\\n\\"Ana\\""');
  });

  it('tells apart two arguments the labels name alike', () => {
    const call = { ...cake, args: { first: 'Ana', last: 'Souza' } };
    expect(showCall(call, en, { args: { first: 'Nome', last: 'Nome' } })).toBe('Action: place_order (bakery)\n• Nome (first): "Ana"\n• Nome (last): "Souza"');
    expect(showCall(call, en, { args: { first: 'last' } })).toBe('Action: place_order (bakery)\n• last (first): "Ana"\n• last: "Souza"');
  });

  it('cuts a label that would not fit a line', () => {
    const [heading] = showCall(cake, en, { action: 'x'.repeat(200) }).split('\n');
    expect(heading).toHaveLength(80);
    expect(heading!.endsWith('…')).toBe(true);
  });
});

// The engine with labels on the step: only the words change, never what is confirmed.
const orderFlow = (labels: { actionLabel?: string; argLabels?: Record<string, string> }): Flow =>
  flow(
    [
      n.start(),
      n.confirm('sure', 'Posso fazer o pedido?'),
      n.tool('order', { server: 'bakery', tool: 'place_order', args: { flavour: 'chocolate', customerId: 'c7', candles: '3' }, ...labels }),
      n.end('done', 'Pronto!'),
      n.end('no', 'Tudo bem.'),
    ],
    [...line('start', 'sure'), edge('sure', 'yes', 'order'), edge('sure', 'no', 'no'), edge('order', 'next', 'done')],
  );

const prepared = (call: PendingCall): PreparedCall => ({ args: { ...call.args, candles: Number(call.args.candles) }, argLabels: { candles: 'Candles', flavour: 'Flavour' } });

function converse(f: Flow, ...answers: string[]) {
  let state: ConversationState = initialState(f, 'conv-1', { id: 'c1' });
  const effects: Effect[] = [];
  for (const event of [{ type: 'start' } as EngineEvent, ...answers.map((text): EngineEvent => ({ type: 'user_message', text }))]) {
    const result = step({ flow: f, preparedCall: prepared }, state, event);
    state = result.state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

describe('labels in the engine', () => {
  it('shows the step labels over the schema titles, and the same words when asked again', () => {
    const f = orderFlow({ actionLabel: 'Fazer o pedido do bolo', argLabels: { flavour: 'Sabor' } });
    const { state, effects } = converse(f);
    const question = 'Posso fazer o pedido?\n\nFazer o pedido do bolo\n• Candles: 3\n• customerId: "c7"\n• Sabor: "chocolate"\n\nReply YES to confirm or NO to cancel.';
    expect(effects).toContainEqual({ type: 'send', text: question });
    expect(state.confirmation?.labels).toEqual([{ action: 'Fazer o pedido do bolo', args: { candles: 'Candles', flavour: 'Sabor' } }]);
    expect(ConversationStateSchema.parse(state)).toEqual(state);
    // A message sent before the question arrived cannot answer it: asked again, alike.
    const again = step({ flow: f, preparedCall: prepared }, state, { type: 'user_message', text: 'sim', sentAt: 1 });
    expect(again.effects).toContainEqual({ type: 'send', text: question });
  });

  it('binds the same call whatever the labels say', () => {
    const bare = converse(orderFlow({}), 'yes');
    const labelled = converse(orderFlow({ actionLabel: 'Fazer o pedido do bolo', argLabels: { flavour: 'Sabor', customerId: 'Cliente', candles: 'Velas' } }), 'yes');
    const bound = (effects: Effect[]) => effects.filter((e) => e.type !== 'send');
    expect(bound(labelled.effects)).toEqual(bound(bare.effects));
    const asked = bound(labelled.effects).find((e) => e.type === 'confirmation_requested');
    const confirmed = bound(labelled.effects).find((e) => e.type === 'record_confirmation');
    expect(asked).toEqual({ type: 'confirmation_requested', askNodeId: 'sure', calls: [{ nodeId: 'order', server: 'bakery', tool: 'place_order', args: { flavour: 'chocolate', customerId: 'c7', candles: 3 } }] });
    expect(confirmed && 'call' in confirmed && Object.keys(confirmed.call).sort()).toEqual(['args', 'nodeId', 'server', 'tool']);
    expect(labelled.state.shownCalls).toEqual(bare.state.shownCalls);
    const definition = { name: 'place_order', inputSchema: { type: 'object' } };
    const hashOf = (effects: Effect[]) => {
      const e = effects.find((x) => x.type === 'record_confirmation');
      if (e?.type !== 'record_confirmation') throw new Error('no confirmation');
      return callHash({ ...e.call, definition });
    };
    expect(hashOf(labelled.effects)).toBe(hashOf(bare.effects));
  });

  it('labels the writes an AI step asks for from its tool list, over the schema titles', () => {
    const f = flow(
      [n.start(), n.llm('bot', { tools: [{ server: 'bakery', tool: 'place_order', actionLabel: 'Encomendar o bolo', argLabels: { candles: 'Velas' } }] }), n.end('end')],
      line('start', 'bot', 'end'),
    );
    const call = { nodeId: 'bot', server: 'bakery', tool: 'place_order', args: { flavour: 'limão', candles: 2 } };
    const paused: EngineEvent = {
      type: 'llm_result',
      nodeId: 'bot',
      ok: true,
      needsConfirmation: { calls: [{ ...call, toolCallId: 'call_1', argLabels: { flavour: 'Sabor', candles: 'Candles' } }], transcript: [], rounds: 1 },
    };
    let state = step({ flow: f }, initialState(f, 'conv-1', { id: 'c1' }), { type: 'start' }).state;
    const asked = step({ flow: f }, state, paused);
    state = asked.state;
    expect(asked.effects).toContainEqual({ type: 'send', text: 'Before I do this, please confirm:\n\nEncomendar o bolo\n• Velas: 2\n• Sabor: "limão"\n\nReply YES to confirm or NO to cancel.' });
    // What the customer confirms and the model's calls carry no labels.
    expect(state.shownCalls).toEqual([call]);
    expect(state.llmPending?.calls).toEqual([{ ...call, toolCallId: 'call_1' }]);
    const yes = step({ flow: f }, state, { type: 'user_message', text: 'yes' });
    expect(yes.effects).toContainEqual({ type: 'record_confirmation', askNodeId: 'bot', call });
  });
});
