import { describe, expect, it, vi } from 'vitest';
import { ApiCallError, API_METHOD_NAMES, type ApiResult } from '../../src-main/shared/api-contract';
import { createApiDispatcher, type ApiHandlers } from '../../src-main/api/dispatcher';

const flow = {
  schemaVersion: 1,
  id: 'order-help',
  name: 'Order help',
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'hello', type: 'message', position: { x: 0, y: 100 }, data: { text: 'Hi' } },
    { id: 'ask', type: 'ask', position: { x: 0, y: 200 }, data: { question: 42, answer: { kind: 'text' } } },
  ],
  edges: [],
};

/** Handlers that all fail loudly unless a test overrides them. */
function handlers(overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  const all = Object.fromEntries(
    API_METHOD_NAMES.map((name) => [
      name,
      () => {
        throw new Error(`${name} should not be called`);
      },
    ]),
  ) as unknown as ApiHandlers;
  return { ...all, ...overrides };
}

const errorOf = (result: ApiResult) => {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('expected a failure');
  return result.error;
};

describe('createApiDispatcher', () => {
  it('rejects a wrong payload with INVALID_INPUT naming the field, without calling the handler', async () => {
    const save = vi.fn();
    const dispatcher = createApiDispatcher(handlers({ 'flows.save': save }));
    const error = errorOf(await dispatcher.dispatch('flows.save', { flow }));
    expect(error).toEqual({ code: 'INVALID_INPUT', message: 'flows.save: input.flow.nodes[2].data.question: expected text' });
    expect(save).not.toHaveBeenCalled();
  });

  it('names missing fields, unknown fields and wrong kinds, several at once', async () => {
    const dispatcher = createApiDispatcher(handlers());
    expect(errorOf(await dispatcher.dispatch('flows.get', {})).message).toBe('flows.get: input.id: missing');
    expect(errorOf(await dispatcher.dispatch('flows.get', { id: 'a', extra: 1 })).message).toBe('flows.get: input: unknown field "extra"');
    expect(errorOf(await dispatcher.dispatch('flows.get', 'faq')).message).toBe('flows.get: input: expected an object ({ ... })');
    expect(errorOf(await dispatcher.dispatch('flows.get', { id: '../etc/passwd' })).message).toMatch(
      /^flows\.get: input\.id: not valid: a flow id uses lowercase letters, digits and dashes$/,
    );
    const many = errorOf(await dispatcher.dispatch('flows.rename', { id: 7, name: '' }));
    expect(many.code).toBe('INVALID_INPUT');
    expect(many.message).toBe('flows.rename: input.id: expected text; input.name: must not be empty');
  });

  it('treats a call without input as {} for methods without arguments', async () => {
    const dispatcher = createApiDispatcher(handlers({ 'templates.list': async () => ({ templates: [] }) }));
    expect(await dispatcher.dispatch('templates.list', undefined)).toEqual({ ok: true, output: { templates: [] } });
    expect(errorOf(await dispatcher.dispatch('templates.list', null)).code).toBe('INVALID_INPUT');
  });

  it('answers UNKNOWN_METHOD for names outside the contract, including prototype keys', async () => {
    const dispatcher = createApiDispatcher(handlers());
    for (const name of ['flows.drop', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(errorOf(await dispatcher.dispatch(name, {}))).toEqual({ code: 'UNKNOWN_METHOD', message: `Unknown API method "${name}".` });
    }
    expect(errorOf(await dispatcher.dispatch(42, {}))).toEqual({
      code: 'UNKNOWN_METHOD',
      message: 'Unknown API method (expected a method name, got number).',
    });
  });

  it('passes the parsed input (trimmed, defaults applied) and returns the parsed output', async () => {
    const rename = vi.fn(async ({ id, name }: { id: string; name: string }) => ({
      id,
      name,
      file: `/x/${id}.flow.json`,
      updatedAt: 1,
      errorCount: 0,
      warningCount: 0,
    }));
    const dispatcher = createApiDispatcher(handlers({ 'flows.rename': rename }));
    const result = await dispatcher.dispatch('flows.rename', { id: 'faq', name: '  FAQ  ' });
    expect(rename).toHaveBeenCalledWith({ id: 'faq', name: 'FAQ' });
    expect(result).toEqual({ ok: true, output: { id: 'faq', name: 'FAQ', file: '/x/faq.flow.json', updatedAt: 1, errorCount: 0, warningCount: 0 } });

    const save = createApiDispatcher(handlers({ 'settings.save': async () => ({ savedAt: 5 }) }));
    const settings = vi.fn(async () => ({ savedAt: 5 }));
    await createApiDispatcher(handlers({ 'settings.save': settings })).dispatch('settings.save', { config: {} });
    expect(settings).toHaveBeenCalledWith({ config: { mcpServers: {} } });
    expect(await save.dispatch('settings.save', { config: {} })).toEqual({ ok: true, output: { savedAt: 5 } });
  });

  it('enforces the output schema: a handler returning the wrong shape is INTERNAL, details only in the log', async () => {
    const log = vi.fn();
    const dispatcher = createApiDispatcher(
      handlers({ 'flows.export': async () => ({ fileName: 'a.flow.json', text: 42 }) as never }),
      { log },
    );
    const error = errorOf(await dispatcher.dispatch('flows.export', { id: 'a' }));
    expect(error).toEqual({ code: 'INTERNAL', message: 'flows.export failed: the app produced an invalid result (details in the log).' });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('flows.export'), 'output.text: expected text');
  });

  it('strips unknown output fields (nothing beyond the contract leaves the service)', async () => {
    const dispatcher = createApiDispatcher(handlers({ 'flows.delete': async () => ({ restoreToken: 't', secretPath: '/home/x' }) as never }));
    expect(await dispatcher.dispatch('flows.delete', { id: 'a' })).toEqual({ ok: true, output: { restoreToken: 't' } });
  });

  it('maps handler errors to INTERNAL without stack traces, and logs them', async () => {
    const log = vi.fn();
    const boom = new Error('disk on fire\n    at secret (/home/me/src/x.ts:1:1)');
    const dispatcher = createApiDispatcher(
      handlers({
        'flows.list': async () => {
          throw boom;
        },
        'templates.list': async () => {
          throw 'a string';
        },
      }),
      { log },
    );
    const error = errorOf(await dispatcher.dispatch('flows.list', {}));
    expect(error).toEqual({ code: 'INTERNAL', message: 'flows.list failed: disk on fire' });
    expect(error.message).not.toMatch(/\bat\b.*:\d+:\d+/);
    expect(JSON.stringify(error)).not.toContain('x.ts');
    expect(log).toHaveBeenCalledWith('API flows.list failed:', boom);
    expect(errorOf(await dispatcher.dispatch('templates.list', {}))).toEqual({ code: 'INTERNAL', message: 'templates.list failed.' });
  });

  it('keeps the code and message of an ApiCallError', async () => {
    const log = vi.fn();
    const dispatcher = createApiDispatcher(
      handlers({
        'flows.get': async () => {
          throw new ApiCallError('NOT_FOUND', 'There is no flow "x".');
        },
      }),
      { log },
    );
    expect(errorOf(await dispatcher.dispatch('flows.get', { id: 'x' }))).toEqual({ code: 'NOT_FOUND', message: 'There is no flow "x".' });
    expect(log).not.toHaveBeenCalled();
  });

  it('never rejects, whatever the handler does', async () => {
    const dispatcher = createApiDispatcher(
      handlers({
        'flows.list': () => Promise.reject(new TypeError('x is not a function')),
      }),
      { log: () => undefined },
    );
    await expect(dispatcher.dispatch('flows.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
