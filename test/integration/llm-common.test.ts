// The pure helpers both LLM adapters share, with inputs the scripted server does not produce
// (text split at every character, double-encoded arguments). No I/O.
import { describe, expect, it } from 'vitest';
import { ThinkFilter, normalizeArguments, toolCallIdFactory } from '../../src-main/adapters/llm/llm-common';

function filterInPieces(text: string, size: number): string {
  const filter = new ThinkFilter();
  let out = '';
  for (let i = 0; i < text.length; i += size) out += filter.push(text.slice(i, i + size));
  return out + filter.end();
}

describe('ThinkFilter', () => {
  const cases: [string, string][] = [
    ['<think>plan the reply</think>\n\nOpen 9 to 18.', 'Open 9 to 18.'],
    ['  \n<think>\nx < y and </thin k>\n</think>Answer', 'Answer'],
    ['No reasoning here.', 'No reasoning here.'],
    ['<thinking is not the tag', '<thinking is not the tag'],
    ['<thi', '<thi'],
    ['Text with <think>inside</think> stays', 'Text with <think>inside</think> stays'],
    ['<think>never closed', ''],
    ['', ''],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}, whatever the piece size`, () => {
      for (const size of [1, 2, 3, 7, 8, 1000]) expect(filterInPieces(input, size)).toBe(expected);
    });
  }
});

describe('normalizeArguments', () => {
  it('keeps objects (Ollama), parses JSON text (OpenAI), reports text that is not JSON', () => {
    expect(normalizeArguments({ orderId: 'A1' })).toEqual({ arguments: { orderId: 'A1' } });
    expect(normalizeArguments('{"orderId":"A1"}')).toEqual({ arguments: { orderId: 'A1' } });
    expect(normalizeArguments('{"orderId":')).toEqual({ arguments: undefined, rawArguments: '{"orderId":' });
    expect(normalizeArguments("{'orderId': 'A1'}")).toEqual({ arguments: undefined, rawArguments: "{'orderId': 'A1'}" });
  });

  it('treats missing and empty arguments as none, unwraps double-encoded JSON once, passes other JSON values on', () => {
    expect(normalizeArguments(undefined)).toEqual({ arguments: {} });
    expect(normalizeArguments('  ')).toEqual({ arguments: {} });
    expect(normalizeArguments(JSON.stringify('{"orderId":"A1"}'))).toEqual({ arguments: { orderId: 'A1' } });
    expect(normalizeArguments('"just text"')).toEqual({ arguments: 'just text' });
    expect(normalizeArguments('[1,2]')).toEqual({ arguments: [1, 2] });
    expect(normalizeArguments(null)).toEqual({ arguments: null });
  });
});

describe('toolCallIdFactory', () => {
  it('gives ids that differ by position and content and repeat for the same request', () => {
    const a = toolCallIdFactory([{ role: 'user', content: 'Hi' }]);
    const b = toolCallIdFactory([{ role: 'user', content: 'Hi' }]);
    const other = toolCallIdFactory([{ role: 'user', content: 'Hello' }]);
    expect(a(0, 'get', { x: 1 })).toBe(b(0, 'get', { x: 1 }));
    expect(a(0, 'get', { x: 1 })).not.toBe(a(1, 'get', { x: 1 }));
    expect(a(0, 'get', { x: 1 })).not.toBe(a(0, 'get', { x: 2 }));
    expect(a(0, 'get', { x: 1 })).not.toBe(other(0, 'get', { x: 1 }));
    expect(a(0, 'get', {})).toMatch(/^call_[0-9a-f]{24}$/);
  });
});
