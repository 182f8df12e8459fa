// The validator on confirmation labels: a label for an argument the call never sends is a
// warning naming the step and the field; labels elsewhere (a read-only tool too) are fine.
import { describe, expect, it } from 'vitest';
import { validateFlow, validateFlowText } from '../../src-main/core/validate';
import type { Problem } from '../../src-main/shared/problem';
import { config, edge, flow, line, n } from './flow-builders';

const labelled = (problems: Problem[]) => problems.filter((p) => p.code === 'LABEL_UNKNOWN_ARGUMENT');
const inputSchema = { type: 'object', properties: { flavour: { type: 'string', title: 'Sabor' }, candles: { type: 'integer' } }, required: ['flavour'] };
const catalog = { bakery: [{ name: 'place_order', status: 'approved' as const, inputSchema }, { name: 'get_menu', status: 'approved' as const, inputSchema: { type: 'object', properties: { day: { type: 'string' } } } }] };
const classes = () => config({ bakery: { place_order: 'write', get_menu: 'read' } });

const toolFlow = (argLabels: Record<string, string>, args: Record<string, string> = { flavour: 'chocolate' }) =>
  flow(
    [n.start(), n.confirm('sure'), n.tool('order', { server: 'bakery', tool: 'place_order', args, actionLabel: 'Fazer o pedido do bolo', argLabels }, { label: 'Pedido' }), n.end('end')],
    [...line('start', 'sure'), edge('sure', 'yes', 'order'), edge('sure', 'no', 'end'), edge('order', 'next', 'end'), edge('order', 'error', 'end')],
  );

describe('LABEL_UNKNOWN_ARGUMENT', () => {
  it('warns about a label for an argument a tool step does not send, with the step and the field', () => {
    const problems = labelled(validateFlow(toolFlow({ flavour: 'Sabor', flavor: 'Sabor', candles: 'Velas' }), { config: classes(), catalog }));
    expect(problems).toEqual([
      {
        code: 'LABEL_UNKNOWN_ARGUMENT',
        severity: 'warning',
        nodeId: 'order',
        field: 'data.argLabels.flavor',
        message: 'The step "Pedido" gives the argument "flavor" a label, but it sends no such argument to the tool place_order, so the customer never sees that label. Correct the argument\'s name or remove the label.',
        text: { key: 'LABEL_UNKNOWN_ARGUMENT', params: { step: 'Pedido', argument: 'flavor', tool: 'place_order' } },
      },
    ]);
  });

  it('without the tool\'s schema, checks a tool step against the arguments it sends', () => {
    expect(labelled(validateFlow(toolFlow({ flavour: 'Sabor', candles: 'Velas' }))).map((p) => p.field)).toEqual(['data.argLabels.candles']);
  });

  it('checks an AI step\'s tool labels against the tool\'s schema, only when it is known', () => {
    const f = flow(
      [n.start(), n.llm('bot', { tools: [{ server: 'bakery', tool: 'get_menu', actionLabel: 'Ver o cardápio', argLabels: { day: 'Dia' } }, { server: 'bakery', tool: 'place_order', argLabels: { flavour: 'Sabor', size: 'Tamanho' } }] }), n.end('end')],
      line('start', 'bot', 'end'),
    );
    expect(labelled(validateFlow(f, { config: classes(), catalog })).map((p) => [p.nodeId, p.field, p.severity])).toEqual([['bot', 'data.tools[1].argLabels.size', 'warning']]);
    expect(labelled(validateFlow(f, { config: classes() }))).toEqual([]);
  });

  it('a label on a read-only tool step is fine', () => {
    const f = flow(
      [n.start(), n.tool('menu', { server: 'bakery', tool: 'get_menu', args: { day: 'hoje' }, actionLabel: 'Ver o cardápio', argLabels: { day: 'Dia' } }), n.end('end')],
      [...line('start', 'menu', 'end'), edge('menu', 'error', 'end')],
    );
    expect(validateFlow(f, { config: classes(), catalog })).toEqual([]);
  });

  it('a label that is not text is reported in the owner\'s words', () => {
    const text = JSON.stringify({ ...toolFlow({}), nodes: toolFlow({}).nodes.map((node) => (node.id === 'order' ? { ...node, data: { ...node.data, argLabels: { flavour: 7 } } } : node)) });
    const { problems } = validateFlowText(text, 'bolo.flow.json');
    expect(problems.find((p) => p.nodeId === 'order')?.message).toContain('label of the argument "flavour"');
  });
});
