// A process that dies between creating a conversation and committing its first step leaves a
// conversation in state "new": whoever resumes it (the channel's recovery, another instance)
// starts the flow then, opened by the message that was being handled. Real SQLite store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationRunner } from '../../src-main/runtime/conversation-runner';
import { initialState } from '../../src-main/core/engine';
import type { McpPort } from '../../src-main/runtime/ports';
import { classifierFromConfig } from '../../src-main/core/tool-policy';
import { createMcpHub } from '../../src-main/adapters/mcp/mcp-hub';
import { openStore, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import { edge, flow, n } from '../unit/flow-builders';

let store: SqliteStore;
let mcp: McpPort;
beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-crash-'));
  store = openStore(join(dir, 'data'));
  mcp = createMcpHub({ servers: {}, resolveValue: async () => '', cwd: dir });
});
afterEach(async () => {
  await mcp.close();
  store.close();
});

const order = flow(
  [n.start(), n.ask('what', { question: 'What would you like?', saveAs: 'item' }), n.end('end', 'Noted: {{item}}.')],
  [edge('start', null, 'what'), edge('what', 'next', 'end')],
);

function runner() {
  const sent: string[] = [];
  const r = new ConversationRunner({
    flow: order,
    flowSource: 'test',
    store,
    mcp,
    channel: { send: async (_id, text) => void sent.push(text) },
    clock: { now: () => 5_000 },
    ids: { newId: () => 'conv-1' },
    classify: classifierFromConfig(undefined),
  });
  return { r, sent };
}

/** What the dead process left: the conversation row, no step, maybe not even the opening message. */
function createdButNeverStepped(id: string) {
  store.createConversation({ id, flowId: order.id, flowSource: 'test', state: initialState(order, id, { id: 'ana' }), createdAt: 1_000 });
}

describe('resuming a conversation whose first step was never committed', () => {
  it('starts the flow, with the unanswered message as its opening', async () => {
    createdButNeverStepped('c1');
    const { r, sent } = runner();
    const state = await r.resume('c1', { text: 'hello' });
    expect(state.status).toBe('active');
    expect(state.awaiting).toMatchObject({ kind: 'input', nodeId: 'what' });
    expect(sent).toEqual(['What would you like?']);
    expect(store.transcript('c1', 10).map((e) => [e.role, e.text])).toEqual([
      ['customer', 'hello'],
      ['bot', 'What would you like?'],
    ]);
    // And the conversation goes on as any other.
    const done = await r.receive('c1', 'two croissants');
    expect(done.status).toBe('ended');
    expect(sent.at(-1)).toBe('Noted: two croissants.');
  });

  it('keeps an opening message that was already stored, once', async () => {
    createdButNeverStepped('c2');
    store.addCustomerMessage('c2', 'hello', 1_001);
    const { r } = runner();
    await r.resume('c2', { text: 'hello' });
    expect(store.transcript('c2', 10).filter((e) => e.role === 'customer').map((e) => e.text)).toEqual(['hello']);
  });
});
