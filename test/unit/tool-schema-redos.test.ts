// Issue 12 item 11: a tool's input schema comes from the server (untrusted). Its `pattern`s
// are checked with a linear-time regex engine, so a catastrophic pattern plus arguments the
// model chooses cannot freeze the process (ReDoS). Without it this test never finishes.
import { describe, expect, it } from 'vitest';
import { argumentProblem } from '../../src-main/runtime/llm-tool-loop';
import type { ToolDefinition } from '../../src-main/runtime/ports';

const evil = 'a'.repeat(40) + '!';
const call = (args: Record<string, unknown>) => ({ id: 'c1', name: 'evil__lookup', arguments: args });
const tool = (inputSchema: Record<string, unknown>): ToolDefinition => ({ name: 'lookup', inputSchema }) as ToolDefinition;

describe('tool input schemas from a server are checked in linear time', () => {
  it('a catastrophic `pattern` returns promptly with a clear error', () => {
    const def = tool({ type: 'object', properties: { q: { type: 'string', pattern: '^(a+)+$' } }, required: ['q'] });
    expect(argumentProblem(call({ q: evil }), def)).toMatch(/\/q must match pattern "\^\(a\+\)\+\$"/);
    expect(argumentProblem(call({ q: 'aaaa' }), def)).toBeUndefined();
  });

  it('the same through patternProperties and propertyNames', () => {
    const byName = tool({ type: 'object', patternProperties: { '^(a+)+$': { type: 'number' } } });
    expect(argumentProblem(call({ [evil]: 1 }), byName)).toBeUndefined();
    expect(argumentProblem(call({ aaaa: 'x' }), byName)).toMatch(/must be number/);
    const names = tool({ type: 'object', propertyNames: { pattern: '^(a+)+$' } });
    expect(argumentProblem(call({ [evil]: 1 }), names)).toMatch(/property name must be valid|must match pattern/);
  });

  it('a pattern that cannot run in linear time (backreference, lookaround) makes the schema uncheckable: calls are refused', () => {
    const backref = tool({ type: 'object', properties: { q: { type: 'string', pattern: '^(a+)\\1$' } } });
    expect(argumentProblem(call({ q: 'aa' }), backref)).toMatch(/input schema cannot be checked.*\^\(a\+\)\\1\$.*linear time/);
    const lookahead = tool({ type: 'object', properties: { q: { type: 'string', pattern: '^(?=a)a+$' } } });
    expect(argumentProblem(call({ q: 'aa' }), lookahead)).toMatch(/cannot be checked/);
  });

  it('ordinary patterns keep working', () => {
    const def = tool({ type: 'object', properties: { orderId: { type: 'string', pattern: '^[A-Z][0-9]{3}$' } } });
    expect(argumentProblem(call({ orderId: 'A100' }), def)).toBeUndefined();
    expect(argumentProblem(call({ orderId: 'a100' }), def)).toMatch(/must match pattern/);
  });
});
