// The one-click fix for WRITE_TOOL_UNGUARDED, checked with the real validator: after the fix
// the write guard holds, and the question is in the flow's language.
import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../src-main/core/validate';
import { applyConfirmFix, confirmationFix } from '../../src-renderer/editor/confirm-fix';
import { SUPPORTED_LANGUAGES } from '../../src-main/shared/customer-texts';
import { config, edge, flow, n } from './flow-builders';

const cfg = config({ crm: { create_ticket: 'write', get_order: 'read' } });
const codes = (f: ReturnType<typeof flow>) => validateFlow(f, { config: cfg }).map((p) => p.code);

describe('confirmation question wording', () => {
  const tool = flow([n.start(), n.tool('create', { server: 'crm', tool: 'create_ticket', args: { subject: '{{subject}}' } })], [edge('start', 'next', 'create', 'e1')]);
  const words = (language?: string) => {
    const fix = confirmationFix(tool.nodes, tool.edges, 'create', language)!;
    const ask = fix.add.find((x) => x.type === 'ask');
    const end = fix.add.find((x) => x.type === 'end');
    return [ask?.type === 'ask' ? ask.data.question : undefined, end?.type === 'end' ? end.data.text : undefined, ask?.label, end?.label];
  };

  it('asks in the flow\'s language, without English grammar of the tool\'s name (the call\'s details follow the question)', () => {
    expect(words()).toEqual(['Shall I go ahead?', "OK, I won't do that.", 'Confirm first', 'Not done']);
    expect(words('pt-BR')).toEqual(['Posso continuar?', 'Tudo bem, não vou fazer isso.', 'Confirmar antes', 'Não feito']);
    expect(words('pt')).toEqual(words('pt-BR'));
    expect(words('es-MX').slice(0, 2)).toEqual(['¿Continúo?', 'De acuerdo, no lo haré.']);
    expect(words('xx')).toEqual(words('en'));
  });

  it('has the words in every language the bot speaks', () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const [question, declined, askLabel, endLabel] = words(language);
      for (const text of [question, declined, askLabel, endLabel]) expect(text, language).toBeTruthy();
      if (language !== 'en') expect(question, language).not.toBe('Shall I go ahead?');
    }
  });
});

describe('confirmationFix', () => {
  const unguarded = flow(
    [n.start(), n.ask('subject', { saveAs: 'subject' }, { y: 100 }), n.tool('create', { server: 'crm', tool: 'create_ticket', args: { subject: '{{subject}}' } }, { y: 200 }), n.end('done', 'Done', { y: 300 }), n.message('again', 'Try again', { x: 300, y: 300 })],
    [edge('start', 'next', 'subject', 'e1'), edge('subject', 'next', 'create', 'e2'), edge('again', 'next', 'create', 'e3'), edge('create', 'next', 'done', 'e4'), edge('create', 'error', 'again', 'e5')],
  );

  it('fixes WRITE_TOOL_UNGUARDED for every way into the tool', () => {
    expect(codes(unguarded)).toContain('WRITE_TOOL_UNGUARDED');
    const fix = confirmationFix(unguarded.nodes, unguarded.edges, 'create')!;
    const fixed = { ...unguarded, ...applyConfirmFix(unguarded.nodes, unguarded.edges, fix) };
    expect(codes(fixed)).not.toContain('WRITE_TOOL_UNGUARDED');
    expect(validateFlow(fixed, { config: cfg }).filter((p) => p.severity === 'error')).toEqual([]);
    const ask = fixed.nodes.find((x) => x.id === 'confirm-create');
    expect(ask).toMatchObject({ type: 'ask', position: { x: 0, y: 200 }, data: { question: 'Shall I go ahead?', answer: { kind: 'confirm' } } });
    expect(fix.retarget).toEqual({ e2: 'confirm-create', e3: 'confirm-create' });
  });

  it('sends No to a polite End and makes room by moving the tool and what follows it down', () => {
    const fix = confirmationFix(unguarded.nodes, unguarded.edges, 'create')!;
    const end = fix.add.find((x) => x.type === 'end');
    expect(end).toMatchObject({ data: { text: "OK, I won't do that." } });
    expect(fix.connect).toEqual([
      { id: 'e6', source: 'confirm-create', sourceHandle: 'yes', target: 'create' },
      { id: 'e7', source: 'confirm-create', sourceHandle: 'no', target: end!.id },
    ]);
    expect(Object.keys(fix.move).sort()).toEqual(['again', 'create', 'done']);
    expect(fix.move.create).toEqual({ x: 0, y: 350 });
  });

  it('leaves a connection that is already confirmed alone (no second question)', () => {
    const f = flow(
      [n.start(), n.confirm('sure'), n.tool('create', { server: 'crm', tool: 'create_ticket' }), n.message('other'), n.end('done')],
      [edge('start', 'next', 'sure', 'e1'), edge('sure', 'yes', 'create', 'e2'), edge('sure', 'no', 'other', 'e3'), edge('other', 'next', 'create', 'e4'), edge('create', 'next', 'done', 'e5')],
    );
    const fix = confirmationFix(f.nodes, f.edges, 'create')!;
    expect(fix.retarget).toEqual({ e4: 'confirm-create' });
  });

  it('returns nothing for a step that is not a tool, and picks a free id', () => {
    expect(confirmationFix(unguarded.nodes, unguarded.edges, 'subject')).toBeUndefined();
    const taken = flow([...unguarded.nodes, n.message('confirm-create')], unguarded.edges);
    expect(confirmationFix(taken.nodes, taken.edges, 'create')?.askId).toBe('confirm-create-1');
  });
});
