// Autosave, live validation and the localStorage draft, against a fake API and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient, ApiInput, ApiMethod, ApiOutput } from '../../src-main/shared/api-contract';
import type { Flow } from '../../src-main/shared/flow';
import { ApiCallError } from '../../src-renderer/api/client';
import { draftKey, readDraft, sameFlow, writeDraft, type DraftStorage } from '../../src-renderer/editor/drafts';
import { startEditorSession } from '../../src-renderer/editor/editor-session';
import { createEditorStore } from '../../src-renderer/editor/editor-store';
import { flow, line, n } from './flow-builders';

class MemoryStorage implements DraftStorage {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

interface Call {
  method: ApiMethod;
  input: unknown;
}

function fakeApi(behaviour: { save?: (input: ApiInput<'flows.save'>) => Promise<ApiOutput<'flows.save'>> } = {}) {
  const calls: Call[] = [];
  let updatedAt = 100;
  const api: ApiClient = {
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      calls.push({ method, input });
      const answer = async (): Promise<unknown> => {
        if (method === 'flows.validate') return { problems: [{ code: 'X', severity: 'warning', nodeId: 'hello', message: 'hint' }] };
        if (method === 'flows.save') {
          if (behaviour.save) return behaviour.save(input as ApiInput<'flows.save'>);
          return { updatedAt: ++updatedAt, problems: [] };
        }
        throw new Error(`unexpected ${method}`);
      };
      return (await answer()) as ApiOutput<M>;
    },
    on: () => () => {},
  };
  return { api, calls, saves: () => calls.filter((c) => c.method === 'flows.save') };
}

const base = (): Flow => flow([n.start(), n.message('hello', 'Hi'), n.end('bye')], line('start', 'hello', 'bye'), { id: 'greeting' });

function setup(behaviour?: Parameters<typeof fakeApi>[0]) {
  const store = createEditorStore();
  store.getState().load(base());
  const storage = new MemoryStorage();
  const fake = fakeApi(behaviour);
  const session = startEditorSession({ api: fake.api, store, storage, updatedAt: 100, saveDelayMs: 800, validateDelayMs: 300, draftDelayMs: 200, retryDelayMs: 4000 });
  const type = (text: string) => store.getState().updateStep('hello', (s) => (s.type === 'message' ? { ...s, data: { text } } : s), 'text');
  return { store, storage, session, type, ...fake };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('saves once after a pause in typing, with the version it was loaded at, then says saved', async () => {
    const { store, type, saves, session } = setup();
    for (const t of ['H', 'He', 'Hey']) {
      type(t);
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(saves()).toHaveLength(0);
    expect(store.getState().save.kind).toBe('pending');
    await vi.advanceTimersByTimeAsync(800);
    expect(saves()).toHaveLength(1);
    expect(saves()[0]?.input).toMatchObject({ expectedUpdatedAt: 100, flow: { id: 'greeting', nodes: [{}, { data: { text: 'Hey' } }, {}] } });
    expect(store.getState().save).toMatchObject({ kind: 'saved' });
    expect(store.getState().savedRevision).toBe(store.getState().revision);
    type('Hey!');
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves()[1]?.input).toMatchObject({ expectedUpdatedAt: 101 });
    session.dispose();
  });

  it('Ctrl+S (saveNow) saves at once', async () => {
    const { type, saves, session } = setup();
    type('Now');
    await session.saveNow();
    expect(saves()).toHaveLength(1);
  });

  it('does not send a flow the file format refuses, and says why', async () => {
    const { store, saves, storage } = setup();
    store.getState().addStep('tool', { x: 0, y: 0 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves()).toHaveLength(0);
    expect(store.getState().save).toMatchObject({ kind: 'blocked', reason: 'the step “Use a tool (tool-1)” has no tool picked yet: pick one in the panel on the right' });
    expect(readDraft(storage, 'greeting')?.flow.nodes.at(-1)).toMatchObject({ type: 'tool', data: { server: '' } });
  });

  it('keeps a draft while unsaved, and removes it once saved', async () => {
    let release: () => void = () => {};
    const { type, storage } = setup({ save: () => new Promise((resolve) => (release = () => resolve({ updatedAt: 200, problems: [] }))) });
    type('Draft me');
    await vi.advanceTimersByTimeAsync(250);
    expect(readDraft(storage, 'greeting')?.flow.nodes[1]).toMatchObject({ data: { text: 'Draft me' } });
    await vi.advanceTimersByTimeAsync(600);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(storage.getItem(draftKey('greeting'))).toBeNull();
  });

  it('flush (window closing) writes the draft synchronously before anything else', () => {
    const { type, storage, session } = setup();
    type('Closing');
    void session.flush();
    expect(readDraft(storage, 'greeting')?.flow.nodes[1]).toMatchObject({ data: { text: 'Closing' } });
  });

  it('retries after a lost connection and shows the reason meanwhile', async () => {
    let fail = true;
    const { store, type, saves } = setup({
      save: async () => {
        if (fail) throw new ApiCallError('DISCONNECTED', 'Lost the connection to Flowbot Studio. Reconnecting…');
        return { updatedAt: 300, problems: [] };
      },
    });
    type('Offline edit');
    await vi.advanceTimersByTimeAsync(900);
    expect(store.getState().save).toEqual({ kind: 'failed', reason: 'Lost the connection to Flowbot Studio. Reconnecting…' });
    fail = false;
    await vi.advanceTimersByTimeAsync(4100);
    expect(saves()).toHaveLength(2);
    expect(store.getState().save.kind).toBe('saved');
  });

  it('stops on a conflict until the owner chooses, and overwrite saves without the version check', async () => {
    let conflict = true;
    const { store, type, saves, session } = setup({
      save: async (input) => {
        if (conflict && input.expectedUpdatedAt !== undefined) throw new ApiCallError('CONFLICT', 'The file changed on disk.');
        return { updatedAt: 400, problems: [] };
      },
    });
    type('Mine');
    await vi.advanceTimersByTimeAsync(900);
    expect(store.getState().save).toEqual({ kind: 'conflict', reason: 'The file changed on disk.' });
    type('Mine too');
    await vi.advanceTimersByTimeAsync(2000);
    expect(saves()).toHaveLength(1);
    expect(store.getState().save.kind).toBe('conflict');
    conflict = false;
    await session.overwrite();
    expect(saves()[1]?.input).not.toHaveProperty('expectedUpdatedAt');
    expect(store.getState().save.kind).toBe('saved');
  });
});

describe('live validation', () => {
  it('validates on start and after edits (debounced), and puts the problems on the steps', async () => {
    const { store, type, calls } = setup();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.filter((c) => c.method === 'flows.validate')).toHaveLength(1);
    expect(store.getState().problemCounts).toEqual({ hello: { errors: 0, warnings: 1 } });
    type('a');
    type('ab');
    await vi.advanceTimersByTimeAsync(350);
    expect(calls.filter((c) => c.method === 'flows.validate')).toHaveLength(2);
    expect(store.getState().problemsRevision).toBe(store.getState().revision);
  });
});

describe('drafts', () => {
  it('reads back only a draft of the same flow that parses, tool not yet picked included', () => {
    const storage = new MemoryStorage();
    const f = base();
    expect(writeDraft(storage, f, 5)).toBe(true);
    expect(readDraft(storage, 'greeting')).toEqual({ savedAt: 5, flow: f });
    expect(readDraft(storage, 'other')).toBeNull();
    storage.setItem(draftKey('greeting'), '{not json');
    expect(readDraft(storage, 'greeting')).toBeNull();
    storage.setItem(draftKey('greeting'), JSON.stringify({ version: 1, savedAt: 1, flow: { ...f, nodes: [{ id: 'x', type: 'nope' }] } }));
    expect(readDraft(storage, 'greeting')).toBeNull();
  });

  it('compares flows regardless of key order', () => {
    const f = base();
    const reordered = JSON.parse(JSON.stringify({ edges: f.edges, nodes: f.nodes, name: f.name, id: f.id, schemaVersion: 1 })) as Flow;
    expect(sameFlow(f, reordered)).toBe(true);
    expect(sameFlow(f, { ...f, name: 'Other' })).toBe(false);
  });
});
