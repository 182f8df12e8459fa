// Shown = sent, with the real runner, SQLite and a real MCP server over stdio: a confirm
// question shows the arguments exactly as the server will receive them (coerced to the tool's
// schema), and a text that would change how it reads ("0x3E8", "1e3") is never converted: the
// tool step takes its error path, the refusal is audited, nothing reaches the server.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/shared/run-event';
import { classifierFromConfig } from '../../src-main/core/tool-policy';
import { ConversationRunner } from '../../src-main/runtime/conversation-runner';
import type { McpPort } from '../../src-main/runtime/ports';
import { createMcpHub } from '../../src-main/adapters/mcp/mcp-hub';
import { openStore, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import { fixture } from '../fixtures/mcp-servers/harness';
import { config, edge, flow, line, n } from '../unit/flow-builders';

let callsFile: string;
let store: SqliteStore;
let mcp: McpPort;
let events: RunEvent[];
let sent: string[];

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-shown-'));
  callsFile = join(dir, 'calls.jsonl');
  store = openStore(join(dir, 'data'));
  mcp = createMcpHub({
    servers: { shop: { command: process.execPath, args: [fixture('typed-args.js')], env: { CALLS_FILE: callsFile } } },
    resolveValue: async (v) => (typeof v === 'string' ? v : ''),
    cwd: dir,
  });
  events = [];
  sent = [];
});
afterEach(async () => {
  await mcp.close();
  store.close();
});

const received = (): unknown[] => (existsSync(callsFile) ? readFileSync(callsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown) : []);

const orderFlow = flow(
  [
    n.start(),
    n.ask('qty', { saveAs: 'qty' }),
    n.confirm('sure', 'Change the quantity?'),
    n.tool('set', { server: 'shop', tool: 'set_quantity', args: { orderId: 'A1', quantity: '{{qty}}', gift: 'true' } }),
    n.end('done', 'Done.'),
    n.end('no', 'Nothing changed.'),
    n.end('bad', 'That quantity cannot be used.'),
  ],
  [...line('start', 'qty', 'sure'), edge('sure', 'yes', 'set'), edge('sure', 'no', 'no'), edge('set', 'next', 'done'), edge('set', 'error', 'bad')],
);

async function chat(...messages: string[]) {
  let ids = 0;
  const runner = new ConversationRunner({
    flow: orderFlow,
    flowSource: 'test',
    store,
    mcp,
    channel: { send: async (_id, text) => void sent.push(text) },
    clock: { now: () => Date.now() },
    ids: { newId: () => `conv-${++ids}` },
    classify: classifierFromConfig(config({ shop: { set_quantity: 'write' } })),
    onEvent: (e) => events.push(e),
  });
  let state = await runner.start({ id: 'c1' });
  for (const m of messages) state = await runner.receive(state.conversationId, m);
  return state;
}

describe('shown = sent', () => {
  it('shows the coerced arguments the server then receives, and the confirmation matches them', async () => {
    const state = await chat('1000', 'yes');
    expect(sent[1]).toBe('Change the quantity?\n\nAction: set_quantity (shop)\n• gift: true\n• orderId: "A1"\n• quantity: 1000\n\nReply YES to confirm or NO to cancel.');
    expect(events).toContainEqual(expect.objectContaining({ type: 'confirmation_requested', args: { orderId: 'A1', quantity: 1000, gift: true } }));
    expect(received()).toEqual([{ orderId: 'A1', quantity: 1000, gift: true }]);
    expect(state.status).toBe('ended');
    expect(sent.at(-1)).toBe('Done.');
  });

  it.each(['0x3E8', '1e3', '1000.0', '01000', '+1000'])('refuses %j instead of showing one thing and sending another', async (text) => {
    const state = await chat(text, 'yes');
    // Never asked: the question would have shown a text the server receives as 1000.
    expect(sent.some((m) => m.includes('Action:'))).toBe(false);
    expect(events.some((e) => e.type === 'confirmation_requested')).toBe(false);
    expect(sent.at(-1)).toBe('That quantity cannot be used.');
    expect(state.status).toBe('ended');
    expect(received()).toEqual([]);
    const [record] = store.listAudit();
    expect(record).toMatchObject({ nodeId: 'set', status: 'error', args: { quantity: text } });
    expect(record!.reason).toContain('the argument "quantity" must be a whole number');
  });
});
