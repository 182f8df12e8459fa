// The validator's problems in the studio's languages: each problem carries a catalogue key and
// parameters; English is the problem's own message (the CLI's), pt-BR and es come from their
// catalogues with the same parameters.
import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../src-main/core/validate';
import { ProblemSchema, type Problem } from '../../src-main/shared/problem';
import { en, formatProblemText, problemTexts } from '../../src-main/shared/problem-texts';
import { es } from '../../src-main/shared/problem-texts/es';
import { ptBR } from '../../src-main/shared/problem-texts/pt-BR';
import { problemMessage } from '../../src-renderer/ui/problem-message';
import { config, edge, flow, line, n, rule } from './flow-builders';

const placeholders = (s: string) => [...s.matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();

/** A flow with many kinds of problem: an unguarded write, a loop, an empty message, rules, a dead end. */
const troubled = () =>
  flow(
    [
      n.start(),
      n.message('hello', '', { label: 'Olá' }),
      n.tool('order', { server: 'crm', tool: 'create_ticket' }, { label: 'Fazer pedido' }),
      n.condition('check', [rule('age', 'gt', 'many', 'adult'), rule('x', 'equals', 'a', 'else')]),
      n.set('loop1', { a: '1' }),
      n.set('loop2', { b: '{{nowhere}}' }),
      n.ask('pick', { answer: { kind: 'choice', options: ['A', 'a'] } }),
      n.message('lost'),
    ],
    [...line('start', 'hello', 'order', 'check'), edge('check', 'adult', 'loop1'), ...line('loop1', 'loop2', 'loop1'), edge('check', 'else', 'pick')],
  );

const problemsOf = (): Problem[] => validateFlow(troubled(), { config: config({ crm: {} }) });

describe('problem catalogues', () => {
  it('pt-BR and es have every English key, with the same parameters', () => {
    for (const [name, words] of [['pt-BR', ptBR], ['es', es]] as const) {
      expect(Object.keys(words).sort(), name).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(words[key]), `${name} ${key}`).toEqual(placeholders(en[key]));
    }
  });

  it('every problem of a troubled flow has a text whose English is its message', () => {
    const problems = problemsOf();
    expect(problems.length).toBeGreaterThan(6);
    for (const p of problems) {
      expect(p.text, p.code).toBeDefined();
      expect(formatProblemText(p.text!, 'en')).toBe(p.message);
      for (const language of ['pt-BR', 'es']) expect(formatProblemText(p.text!, language)).not.toMatch(/%\{/);
    }
  });

  it('says an unguarded write in Portuguese and Spanish, nested phrases and lists included', () => {
    const guard = problemsOf().find((p) => p.code === 'WRITE_TOOL_UNGUARDED')!;
    expect(formatProblemText(guard.text!, 'pt-BR')).toBe(
      'A etapa "Fazer pedido" altera dados (create_ticket em crm) mas pode ser alcançada sem que o cliente confirme: a partir de "Olá". ' +
        'Coloque uma pergunta de confirmação Sim/Não logo antes dela e conecte só a resposta Sim a esta etapa.' +
        ' Se create_ticket só lê dados, marque-a como somente leitura nas configurações do servidor "crm".',
    );
    expect(formatProblemText(guard.text!, 'es')).toBe(
      'El paso "Fazer pedido" cambia datos (create_ticket en crm) pero se puede llegar a él sin que el cliente confirme: desde "Olá". ' +
        'Pon una pregunta de confirmación Sí/No justo antes y conecta solo su respuesta Sí a este paso.' +
        ' Si create_ticket solo lee datos, márcala como de solo lectura en los ajustes del servidor "crm".',
    );
  });

  it('joins lists with the language\'s "and"', () => {
    const loop = problemsOf().find((p) => p.code === 'FLOW_CYCLE_NO_WAIT')!;
    expect(formatProblemText(loop.text!, 'pt-BR')).toMatch(/^As etapas "loop1" e "loop2" formam um ciclo/);
    expect(formatProblemText(loop.text!, 'es')).toMatch(/^Los pasos "loop1" y "loop2" forman un bucle/);
  });

  it('puts rule messages into words with the rule number and the value', () => {
    const notNumber = problemsOf().find((p) => p.code === 'CONDITION_VALUE_NOT_NUMBER')!;
    expect(formatProblemText(notNumber.text!, 'es')).toBe('La regla 1 del paso de decisión "check" compara "age" con "many", que no es un número. "Mayor que" y "menor que" necesitan un número.');
    const reserved = problemsOf().find((p) => p.code === 'CONDITION_DUPLICATE_HANDLE')!;
    expect(formatProblemText(reserved.text!, 'pt-BR')).toContain('é reservado para a saída "caso contrário"');
  });

  it('leaves a step name that looks like a parameter as it is', () => {
    expect(formatProblemText({ key: 'MESSAGE_EMPTY', params: { step: '%{step}' } }, 'es')).toContain('"%{step}" no tiene texto');
  });

  it('falls back by language: pt-PT reads pt-BR, an unknown language English', () => {
    expect(problemTexts('pt-PT')).toBe(ptBR);
    expect(problemTexts('es-MX')).toBe(es);
    expect(problemTexts('fr')).toBe(en);
  });

  it('the text survives the API contract (parsed both ways)', () => {
    for (const p of problemsOf()) expect(ProblemSchema.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it('the studio shows a problem in its language, and a file-format problem (no key) as it came', () => {
    const empty = problemsOf().find((p) => p.code === 'MESSAGE_EMPTY')!;
    expect(problemMessage(empty, 'pt-BR')).toMatch(/^A etapa de mensagem "Olá" não tem texto/);
    expect(problemMessage(empty, 'en')).toBe(empty.message);
    expect(problemMessage({ message: 'broken.flow.json line 3: Unexpected token' }, 'es')).toBe('broken.flow.json line 3: Unexpected token');
  });
});
