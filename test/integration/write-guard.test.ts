// The write guard at runtime, with the real parts: the runner, SQLite, and the example CRM
// server over stdio. The flows here skip validation on purpose: whatever a flow says, a
// write runs only against a confirmation of exactly that call, and every block is audited.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src-main/shared/flow';
import type { RunEvent } from '../../src-main/shared/run-event';
import { classifierFromConfig } from '../../src-main/core/tool-policy';
import { ConversationRunner } from '../../src-main/runtime/conversation-runner';
import type { McpPort } from '../../src-main/runtime/ports';
import { createMcpHub } from '../../src-main/adapters/mcp/mcp-hub';
import { openStore, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import { config, edge, flow, line, n } from '../unit/flow-builders';

const CRM = resolve('examples/crm-server/index.js');
const workspace = config({ crm: { get_order_status: 'read', create_ticket: 'write' } });

let crmDir: string;
let store: SqliteStore;
let mcp: McpPort;
let events: RunEvent[];

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-guard-'));
  crmDir = join(dir, 'crm');
  store = openStore(join(dir, 'data'));
  mcp = createMcpHub({
    servers: { crm: { command: process.execPath, args: [CRM], env: { CRM_DATA_DIR: crmDir } } },
    resolveValue: async (v) => (typeof v === 'string' ? v : ''),
    cwd: dir,
  });
  events = [];
});
afterEach(async () => {
  await mcp.close();
  store.close();
});

const tickets = (): unknown[] => JSON.parse(readFileSync(join(crmDir, 'crm.json'), 'utf8')).tickets;

function runner(f: Flow) {
  let ids = 0;
  return new ConversationRunner({
    flow: f,
    flowSource: 'test',
    store,
    mcp,
    channel: { send: async () => undefined },
    clock: { now: () => Date.now() },
    ids: { newId: () => `conv-${++ids}` },
    classify: classifierFromConfig(workspace),
    onEvent: (e) => events.push(e),
  });
}

async function chat(f: Flow, ...messages: string[]) {
  const r = runner(f);
  let state = await r.start({ id: 'c1' });
  for (const m of messages) state = await r.receive(state.conversationId, m);
  return state;
}

const ticketTool = (id = 'create', args: Record<string, string> = { description: '{{desc}}' }) =>
  n.tool(id, { server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', subject: 'Help', ...args } });
const toolCalls = () => events.flatMap((e) => (e.type === 'tool_call' ? [e] : []));
const auditStatuses = () => store.listAudit().map((r) => `${r.nodeId}:${r.status}`);

describe('write guard (runtime)', () => {
  it('runs a confirmed write exactly once and audits it with its confirmation', async () => {
    const f = flow(
      [n.start(), n.ask('d', { saveAs: 'desc' }), n.confirm('c'), ticketTool(), n.end('done'), n.end('no')],
      [...line('start', 'd', 'c'), edge('c', 'yes', 'create'), edge('c', 'no', 'no'), edge('create', 'next', 'done')],
    );
    await chat(f, 'Lamp broken', 'yes');
    expect(tickets()).toEqual([expect.objectContaining({ customerId: 'c1', description: 'Lamp broken' })]);
    const [record] = store.listAudit();
    expect(record).toMatchObject({ status: 'executed', nodeId: 'create', confirmationId: expect.any(String) });
    expect(events).toContainEqual(expect.objectContaining({ type: 'confirmation_requested', tool: 'create_ticket', args: expect.objectContaining({ description: 'Lamp broken' }) }));
  });

  it('blocks a write reached straight from the start', async () => {
    const f = flow([n.start(), ticketTool('create', { description: 'x' }), n.end()], line('start', 'create', 'end'));
    const state = await chat(f);
    expect(tickets()).toEqual([]);
    expect(toolCalls()).toEqual([expect.objectContaining({ status: 'blocked', tool: 'create_ticket' })]);
    expect(store.listAudit()).toEqual([expect.objectContaining({ status: 'blocked', nodeId: 'create', confirmationId: null, reason: expect.stringContaining('did not confirm') })]);
    expect(state.status).toBe('failed');
  });

  it('blocks a write wired to the "no" answer, after auditing the decline', async () => {
    const f = flow(
      [n.start(), n.ask('d', { saveAs: 'desc' }), n.confirm('c'), ticketTool(), n.end()],
      [...line('start', 'd', 'c'), edge('c', 'no', 'create'), edge('c', 'yes', 'create', 'also-yes'), edge('create', 'next', 'end')],
    );
    await chat(f, 'Lamp broken', 'no thanks');
    expect(tickets()).toEqual([]);
    expect(auditStatuses()).toEqual(['create:declined', 'create:blocked']);
  });

  it('blocks a write behind a retry loop of a non-confirm question', async () => {
    const f = flow(
      [n.start(), n.ask('q', { saveAs: 'desc', answer: { kind: 'number' }, maxRetries: 1 }), ticketTool(), n.end()],
      [edge('start', 'next', 'q'), edge('q', 'invalid', 'create'), edge('q', 'next', 'create', 'ok'), edge('create', 'next', 'end')],
    );
    await chat(f, 'abc', 'def');
    expect(tickets()).toEqual([]);
    expect(auditStatuses()).toEqual(['create:blocked']);
  });

  it('a confirmation is single-use: an error path looping back to the write is blocked', async () => {
    const f = flow(
      [n.start(), n.confirm('c'), n.tool('create', { server: 'crm', tool: 'create_ticket', args: { customerId: '{{who}}', subject: 'Help', description: 'd' } }),
        n.set('fix', { who: 'c1' }), n.end()],
      [edge('start', 'next', 'c'), edge('c', 'yes', 'create'), edge('create', 'error', 'fix'), edge('fix', 'next', 'create'), edge('create', 'next', 'end')],
    );
    // First call: customerId "" is rejected by the CRM (error, confirmation used up);
    // the flow then changes the variable and loops back: no confirmation for that call.
    const state = await chat(f, 'yes');
    expect(tickets()).toEqual([]);
    const [first, ...rest] = auditStatuses();
    expect(first).toBe('create:error');
    expect(rest.length).toBeGreaterThan(0);
    expect(new Set(rest)).toEqual(new Set(['create:blocked']));
    // The loop never waits for the customer, so the engine stops it.
    expect(state).toMatchObject({ status: 'failed', error: expect.stringContaining('loop') });
  });

  it('blocks when a variable is edited between the confirmation and the write', async () => {
    const f = flow(
      [n.start(), n.ask('d', { saveAs: 'desc' }), n.confirm('c'), n.set('edit', { desc: 'Refund 5000 EUR' }), ticketTool(), n.end()],
      [...line('start', 'd', 'c'), edge('c', 'yes', 'edit'), ...line('edit', 'create', 'end')],
    );
    await chat(f, 'Lamp broken', 'yes');
    expect(tickets()).toEqual([]);
    expect(store.listAudit()).toEqual([expect.objectContaining({ status: 'blocked', args: expect.objectContaining({ description: 'Refund 5000 EUR' }) })]);
  });

  it('blocks when the arguments resolve differently than what the customer was shown', async () => {
    // The tool uses {{last_message}}: shown the previous message, it would run with "yes".
    const f = flow(
      [n.start(), n.ask('d', { saveAs: 'desc' }), n.confirm('c'), ticketTool('create', { description: '{{last_message}}' }), n.end()],
      [...line('start', 'd', 'c'), edge('c', 'yes', 'create'), edge('create', 'next', 'end')],
    );
    await chat(f, 'Lamp broken', 'yes');
    expect(tickets()).toEqual([]);
    expect(auditStatuses()).toEqual(['create:blocked']);
  });

  it('one yes does not authorize a second identical write elsewhere in the flow', async () => {
    const f = flow(
      [n.start(), n.ask('d', { saveAs: 'desc' }), n.confirm('c'), ticketTool('first'), ticketTool('second'), n.end()],
      [...line('start', 'd', 'c'), edge('c', 'yes', 'first'), ...line('first', 'second', 'end')],
    );
    await chat(f, 'Lamp broken', 'yes');
    expect(tickets()).toHaveLength(1);
    expect(auditStatuses()).toEqual(['first:executed', 'second:blocked']);
  });

  it('an unused confirmation does not survive the next customer message', async () => {
    // yes -> a question (not the tool) -> the tool: the earlier yes no longer counts.
    const f = flow(
      [n.start(), n.ask('d', { saveAs: 'desc' }), n.confirm('c'), n.ask('more'), ticketTool(), n.end()],
      [...line('start', 'd', 'c'), edge('c', 'yes', 'more'), ...line('more', 'create', 'end')],
    );
    await chat(f, 'Lamp broken', 'yes', 'anything');
    expect(tickets()).toEqual([]);
    expect(auditStatuses()).toEqual(['create:blocked']);
  });

  it('read tools run without confirmation, and the audit chain verifies', async () => {
    const f = flow(
      [n.start(), n.tool('look', { server: 'crm', tool: 'get_order_status', args: { orderId: 'A100' }, saveAs: 'o' }), n.message('m', '{{o.status}}'), n.end()],
      line('start', 'look', 'm', 'end'),
    );
    await chat(f);
    expect(events).toContainEqual(expect.objectContaining({ type: 'bot_message', text: 'shipped' }));
    expect(auditStatuses()).toEqual(['look:executed']);
    expect(store.verifyAudit()).toEqual({ ok: true, count: 1 });
  });
});
