// What a customer confirms is exactly what is sent and hashed: strict coercion of template
// text to the tool's schema (refused when it would change how a value reads), the shown call,
// and the canonical JSON / call hash that bind a confirmation to exactly those arguments.
import { describe, expect, it } from 'vitest';
import { ArgumentCoercionError, coerceArgs } from '../../src-main/core/coerce-args';
import { canonicalJson } from '../../src-main/core/canonical-json';
import { callHash } from '../../src-main/core/call-hash';
import { showCall } from '../../src-main/core/show-args';
import { en } from '../../src-main/shared/customer-texts/en';

const SCHEMA = { type: 'object', properties: { quantity: { type: 'integer' }, price: { type: 'number' }, gift: { type: 'boolean' }, note: { type: 'string' } } };

describe('coerceArgs', () => {
  it('converts text written exactly as the value reads', () => {
    expect(coerceArgs({ quantity: '1000', price: '-2.5', gift: 'true', note: '0x3E8' }, SCHEMA)).toEqual({ quantity: 1000, price: -2.5, gift: true, note: '0x3E8' });
    expect(coerceArgs({ quantity: 7, gift: false }, SCHEMA)).toEqual({ quantity: 7, gift: false });
  });

  it.each([
    ['quantity', '0x3E8'],
    ['quantity', '1e3'],
    ['quantity', ' 1000'],
    ['quantity', '1000\n'],
    ['quantity', '007'],
    ['quantity', '+1'],
    ['quantity', '1.'],
    ['quantity', '2.5'],
    ['quantity', '-0'],
    ['quantity', '12345678901234567890'],
    ['quantity', '0b11'],
    ['quantity', ''],
    ['quantity', 'Infinity'],
    ['price', '1.50'],
    ['price', '.5'],
    ['price', '1_000'],
    ['gift', 'TRUE'],
    ['gift', ' true'],
    ['gift', 'yes'],
  ])('refuses %s = %j instead of converting it, naming the argument', (name, text) => {
    let error: unknown;
    try {
      coerceArgs({ [name]: text }, SCHEMA);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentCoercionError);
    expect((error as ArgumentCoercionError).argument).toBe(name);
    expect((error as Error).message).toContain(`the argument "${name}" must be`);
    expect((error as Error).message).toContain(JSON.stringify(text));
  });

  it('reads the schema with own-property lookups only', () => {
    expect(coerceArgs({ constructor: '0x10', toString: '1e3' }, SCHEMA)).toEqual({ constructor: '0x10', toString: '1e3' });
  });
});

describe('showCall', () => {
  it('shows the coerced values: a number as a number, a text with its quotes', () => {
    const args = coerceArgs({ quantity: '1000', gift: 'false', note: '1e3' }, SCHEMA);
    expect(showCall({ nodeId: 'n', server: 'shop', tool: 'set_quantity', args }, en)).toBe('Action: set_quantity (shop)\n• gift: false\n• note: "1e3"\n• quantity: 1000');
  });

  it('shows a __proto__ argument like any other', () => {
    const args = JSON.parse('{"__proto__": {"admin": true}, "a": 1}') as Record<string, unknown>;
    expect(showCall({ nodeId: 'n', server: 's', tool: 't', args }, en)).toBe('Action: t (s)\n• __proto__: {"admin":true}\n• a: 1');
  });
});

describe('canonicalJson and callHash', () => {
  it('keeps a __proto__ key, so different arguments never share a hash', () => {
    const poisoned = JSON.parse('{"__proto__": {"amount": 1000000}, "to": "x"}') as Record<string, unknown>;
    const plain = { to: 'x' };
    expect(canonicalJson(poisoned)).toBe('{"__proto__":{"amount":1000000},"to":"x"}');
    const definition = { name: 't', inputSchema: {} };
    expect(callHash({ server: 's', tool: 't', args: poisoned, definition })).not.toBe(callHash({ server: 's', tool: 't', args: plain, definition }));
    expect(callHash({ server: 's', tool: 't', args: JSON.parse('{"__proto__": 1}'), definition })).not.toBe(callHash({ server: 's', tool: 't', args: {}, definition }));
  });

  it('gives ordinary values the same text as before (stored hashes and pins stay valid)', () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: true, skip: undefined })).toBe('{"a":true,"b":[1,{"c":"x","d":null}]}');
    // A hash computed by the previous implementation for these exact inputs.
    expect(callHash({ server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', subject: 'Help' }, definition: { name: 'create_ticket' } })).toBe(
      'db09ce051827c5fcf17edf2342641e6dd4b8624c045f0281ff5804d66dc8aaa0',
    );
  });
});
