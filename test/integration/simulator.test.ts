// The simulator's API through the dispatcher (what the web host and Electron call), with the
// real parts: the studio's workspace in "ask" mode, the example CRM server over stdio, SQLite.
// Each test on a fresh data folder; the owner approves the server and its tools through the API.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../src-main/shared/api-contract';
import type { RunEvent } from '../../src-main/shared/run-event';
import { createStudio, type Studio } from '../../src-main/app/studio';
import { DRY_RUN_VALUE } from '../../src-main/runtime/tool-executor';
import { startScriptedLlmServer } from '../fixtures/scripted-llm-server';
import { reviewedTools } from '../support/studio-api';

const SECRET_ENV = 'FLOWBOT_SIM_TEST_TOKEN';
const SECRET = 'sim-secret-7f3a9c21e4';

let root: string;
let dataDir: string;
let studio: Studio;
let events: { sessionId: string; event: RunEvent }[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-sim-'));
  dataDir = join(root, 'data');
  process.env[SECRET_ENV] = SECRET;
  studio = createStudio({ dataDir, templatesDir: resolve('flows'), watchFiles: false, log: () => undefined });
  events = [];
  studio.service.on((e) => {
    if (e.event === 'sim.event') events.push(e.payload);
  });
});
afterEach(async () => {
  await studio.close();
  delete process.env[SECRET_ENV];
  rmSync(root, { recursive: true, force: true });
});

type Result = { ok: boolean; output?: any; error?: ApiError };
const call = (method: string, input: unknown = {}) => studio.dispatcher.dispatch(method, input) as Promise<Result>;
async function ok(method: string, input: unknown = {}): Promise<any> {
  const result = await call(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error?.code} ${result.error?.message}`);
  return result.output;
}

const crmConfig = () => ({
  mcpServers: {
    crm: {
      command: process.execPath,
      args: [resolve('examples/crm-server/index.js')],
      env: { CRM_DATA_DIR: join(root, 'crm'), CRM_TOKEN: { env: SECRET_ENV } },
      tools: { get_order_status: 'read', search_customers: 'read', create_ticket: 'write' },
      // Its data folder is under /tmp, which the sandbox hides: granted.
      sandbox: { folders: [{ path: join(root, 'crm'), access: 'write' as const }] },
    },
  },
});
const crm = () => JSON.parse(readFileSync(join(root, 'crm', 'crm.json'), 'utf8')) as { tickets: Record<string, unknown>[] };

/** The owner's settings and approvals, then a copy of the support-ticket template. */
async function setUp({ approve = true } = {}): Promise<string> {
  await ok('settings.save', { config: crmConfig() });
  if (approve) {
    const { command } = (await ok('mcp.catalog')).servers[0];
    await ok('mcp.approveServer', { server: 'crm', command });
    await ok('mcp.approveTools', await reviewedTools(ok, 'crm', ['get_order_status', 'search_customers', 'create_ticket']));
  }
  return (await ok('flows.create', { name: 'Support', templateId: 'support-ticket' })).id as string;
}

/** Waits (bounded, for a hang only) until `find` returns something. */
async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}; events: ${JSON.stringify(events.map((e) => e.event.type))}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

const FINISHED = ['ended', 'handoff', 'failed'];
/** The events of `sessionId` from index `from` up to the step where the bot waits for the customer again (or finished). */
async function settled(sessionId: string, from: number): Promise<RunEvent[]> {
  const upTo = await until(() => {
    const i = events.findIndex(
      (e, at) => at >= from && e.sessionId === sessionId && e.event.type === 'step' && (e.event.awaiting === 'input' || FINISHED.includes(e.event.status)),
    );
    return i >= 0 ? i : undefined;
  }, `session ${sessionId} to settle`);
  return events.slice(from, upTo + 1).filter((e) => e.sessionId === sessionId).map((e) => e.event);
}

async function start(input: Record<string, unknown>) {
  const from = events.length;
  const started = await ok('sim.start', input);
  return { ...started, events: await settled(started.sessionId, from) } as { sessionId: string; conversationId: string; events: RunEvent[] };
}
async function say(sessionId: string, text: string): Promise<RunEvent[]> {
  const from = events.length;
  expect(await ok('sim.send', { sessionId, text })).toEqual({ accepted: true });
  return settled(sessionId, from);
}
const botTexts = (list: RunEvent[]) => list.flatMap((e) => (e.type === 'bot_message' ? [e.text] : []));
const toolCalls = (list: RunEvent[]) => list.filter((e): e is Extract<RunEvent, { type: 'tool_call' }> => e.type === 'tool_call');
const lastStep = (list: RunEvent[]) => list.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step').at(-1)!;
const auditStatuses = () => {
  const db = new Database(join(dataDir, 'flowbot.db'), { readonly: true });
  try {
    return (db.prepare('SELECT tool, status FROM audit ORDER BY seq').all() as { tool: string; status: string }[]).map((r) => `${r.tool}:${r.status}`);
  } finally {
    db.close();
  }
};

describe('simulating the support-ticket template', () => {
  it('goes through the read lookup and a confirmed write that lands in the CRM', async () => {
    const flowId = await setUp();
    const s = await start({ flowId });
    expect(s.events[0]).toEqual({ type: 'conversation_started', conversationId: s.conversationId, flowId });
    expect(botTexts(s.events)).toEqual(['Hi! What is your customer number? (for example c1)']);
    expect(lastStep(s.events)).toMatchObject({ nodeId: 'ask-customer', status: 'active', awaiting: 'input', vars: {} });

    const looked = await say(s.sessionId, 'c1');
    const [lookup] = toolCalls(looked);
    expect(lookup).toMatchObject({ server: 'crm', tool: 'search_customers', args: { query: 'c1' }, status: 'executed' });
    expect(lookup!.result).toMatchObject({ customers: [{ id: 'c1', name: 'Ana Souza' }] });
    expect(botTexts(looked)).toEqual(['Thanks, Ana Souza! Please describe the problem in one message.']);
    // The step events follow the conversation: the lookup (waiting for the tool), then the next question.
    const steps = looked.filter((e) => e.type === 'step');
    expect(steps.map((e) => [e.nodeId, e.awaiting])).toEqual([
      ['lookup', 'tool'],
      ['ask-problem', 'input'],
    ]);
    expect(lastStep(looked).vars).toMatchObject({ customerId: 'c1', lookup: { customers: [{ name: 'Ana Souza' }] } });

    await say(s.sessionId, 'My lamp flickers');
    const asked = await say(s.sessionId, 'high');
    expect(asked).toContainEqual({
      type: 'confirmation_requested',
      conversationId: s.conversationId,
      nodeId: 'create',
      server: 'crm',
      tool: 'create_ticket',
      args: { customerId: 'c1', subject: 'WhatsApp support request', description: 'My lamp flickers', priority: 'high' },
    });
    expect(crm().tickets).toEqual([]);

    const done = await say(s.sessionId, 'yes');
    expect(toolCalls(done)).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'executed', result: { ticketId: 'T-1' } })]);
    expect(botTexts(done)).toEqual(['Done! Your ticket number is T-1. We will get back to you soon.']);
    expect(done).toContainEqual({ type: 'end', conversationId: s.conversationId, status: 'ended' });
    expect(lastStep(done)).toMatchObject({ nodeId: 'done', status: 'ended', awaiting: null, vars: { ticket: { ticketId: 'T-1' }, priority: 'high' } });
    expect(crm().tickets).toEqual([expect.objectContaining({ id: 'T-1', customerId: 'c1', description: 'My lamp flickers', priority: 'high' })]);
    expect(auditStatuses()).toEqual(['search_customers:executed', 'create_ticket:executed']);

    // The conversation is over: another message is refused, saying what to do.
    expect(await call('sim.send', { sessionId: s.sessionId, text: 'hello?' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('Restart the simulator') },
    });
  });

  it('a declined write is not executed and is reported as declined', async () => {
    const flowId = await setUp();
    const s = await start({ flowId });
    for (const text of ['c2', 'Late delivery', 'normal']) await say(s.sessionId, text);
    const no = await say(s.sessionId, 'no');
    expect(toolCalls(no)).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'declined', reason: 'the customer said no' })]);
    expect(botTexts(no)).toEqual(['OK, I have not created anything. Write again whenever you like.']);
    expect(crm().tickets).toEqual([]);
    expect(auditStatuses()).toEqual(['search_customers:executed', 'create_ticket:declined']);
  });

  it('dry run: reads run, the confirmed write is shown exactly but never reaches the CRM', async () => {
    const flowId = await setUp();
    const s = await start({ flowId, dryRun: true });
    const looked = await say(s.sessionId, 'c1');
    expect(toolCalls(looked)).toEqual([expect.objectContaining({ tool: 'search_customers', status: 'executed' })]);
    await say(s.sessionId, 'Wobbly chair');
    const asked = await say(s.sessionId, 'low');
    // The customer is asked exactly as without a dry run.
    expect(asked.find((e) => e.type === 'confirmation_requested')).toMatchObject({ tool: 'create_ticket' });
    const before = readFileSync(join(root, 'crm', 'crm.json'), 'utf8');

    const done = await say(s.sessionId, 'yes');
    const [write] = toolCalls(done);
    expect(write).toMatchObject({
      server: 'crm',
      tool: 'create_ticket',
      status: 'dry_run',
      args: { customerId: 'c1', subject: 'WhatsApp support request', description: 'Wobbly chair', priority: 'low' },
      result: DRY_RUN_VALUE,
    });
    expect(write!.reason).toContain('dry run');
    expect(done.some((e) => e.type === 'tool_call' && e.status === 'executed')).toBe(false);
    expect(lastStep(done)).toMatchObject({ nodeId: 'done', status: 'ended' });
    expect(readFileSync(join(root, 'crm', 'crm.json'), 'utf8')).toBe(before);
    expect(crm().tickets).toEqual([]);
    expect(auditStatuses()).toEqual(['search_customers:executed', 'create_ticket:dry_run']);
  });

  it('dry run still needs the confirmation: a write entered without one is blocked, not dry-run', async () => {
    const flowId = await setUp();
    const s = await start({ flowId, dryRun: true, startAt: 'create', vars: { customerId: 'c1', problem: 'x', priority: 'low' } });
    expect(toolCalls(s.events)).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'blocked' })]);
    expect(auditStatuses()).toEqual(['create_ticket:blocked']);
  });

  it('starts at a chosen step with preset variables', async () => {
    const flowId = await setUp();
    const s = await start({ flowId, startAt: 'ask-problem', vars: { customerId: 'c2', lookup: { customers: [{ name: 'Ben Carter' }] } } });
    // The lookup never ran: the preset variables stand in for it.
    expect(toolCalls(s.events)).toEqual([]);
    expect(botTexts(s.events)).toEqual(['Thanks, Ben Carter! Please describe the problem in one message.']);
    expect(lastStep(s.events)).toMatchObject({ nodeId: 'ask-problem', vars: { customerId: 'c2' } });
    await say(s.sessionId, 'Notebook pages missing');
    await say(s.sessionId, '2');
    const done = await say(s.sessionId, 'yes');
    expect(toolCalls(done)).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'executed', args: expect.objectContaining({ customerId: 'c2', priority: 'normal' }) })]);
    expect(crm().tickets).toEqual([expect.objectContaining({ customerId: 'c2', description: 'Notebook pages missing' })]);
  });

  it('starting at the write step itself is blocked by the runtime guard (no confirmation exists)', async () => {
    const flowId = await setUp();
    const s = await start({ flowId, startAt: 'create', vars: { customerId: 'c1', problem: 'Refund 500 EUR', priority: 'high' } });
    const [blocked] = toolCalls(s.events);
    expect(blocked).toMatchObject({ tool: 'create_ticket', status: 'blocked', args: { customerId: 'c1', description: 'Refund 500 EUR' } });
    expect(blocked!.reason).toContain('the customer did not confirm exactly this call');
    // The tool's error exit: a person takes over.
    expect(botTexts(s.events)).toEqual(['Sorry, I could not create the ticket. A colleague will take over this chat.']);
    expect(lastStep(s.events)).toMatchObject({ nodeId: 'failed', status: 'handoff' });
    expect(crm().tickets).toEqual([]);
  });

  it('restart: a fresh conversation with the same options on the flow as saved now; stop ends the session', async () => {
    const flowId = await setUp();
    const s = await start({ flowId, startAt: 'ask-problem', vars: { customerId: 'c3', lookup: { customers: [{ name: 'Chidi Okafor' }] } } });
    await say(s.sessionId, 'Desk lamp broken');

    // The owner edits the question (the editor saves), then restarts.
    const doc = await ok('flows.get', { id: flowId });
    const flow = doc.flow;
    flow.nodes.find((n: { id: string }) => n.id === 'ask-problem').data.question = 'Hello {{lookup.customers.0.name}}, what went wrong?';
    await ok('flows.save', { flow, expectedUpdatedAt: doc.updatedAt });

    const from = events.length;
    const again = await ok('sim.restart', { sessionId: s.sessionId });
    expect(again.sessionId).toBe(s.sessionId);
    expect(again.conversationId).not.toBe(s.conversationId);
    const fresh = await settled(s.sessionId, from);
    expect(fresh[0]).toMatchObject({ type: 'conversation_started', conversationId: again.conversationId });
    expect(fresh.every((e) => e.type === 'error' || e.conversationId === again.conversationId)).toBe(true);
    expect(botTexts(fresh)).toEqual(['Hello Chidi Okafor, what went wrong?']);
    expect(lastStep(fresh).vars).toEqual({ customerId: 'c3', lookup: { customers: [{ name: 'Chidi Okafor' }] } });

    expect(await ok('sim.stop', { sessionId: s.sessionId })).toEqual({ stopped: true });
    expect(await call('sim.send', { sessionId: s.sessionId, text: 'hi' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('sim.restart', { sessionId: s.sessionId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('secrets stay masked in everything it emits', async () => {
    const flowId = await setUp();
    const s = await start({ flowId, startAt: 'ask-problem', vars: { customerId: 'c1', lookup: { customers: [{ name: SECRET }] } } });
    expect(botTexts(s.events)).toEqual(['Thanks, [secret]! Please describe the problem in one message.']);
    await say(s.sessionId, `My token is ${SECRET}`);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(lastStep(events.map((e) => e.event)).vars).toMatchObject({ problem: 'My token is [secret]', lookup: { customers: [{ name: '[secret]' }] } });
  });
});

describe('simulating an AI step', () => {
  it('streams the model’s text as it comes, with the request and the response', async () => {
    const llm = await startScriptedLlmServer();
    try {
      await ok('settings.save', { config: { llm: { provider: 'ollama', host: llm.url, model: 'qwen3:4b' }, mcpServers: {} } });
      const flowId = (await ok('flows.create', { name: 'Questions', templateId: 'faq' })).id;
      const s = await start({ flowId });
      const answer = 'Yes, we deliver to Portugal in 2-4 working days.';
      llm.script({ content: answer });
      const replied = await say(s.sessionId, 'Do you ship to Portugal?');
      expect(replied.find((e) => e.type === 'llm_request')).toMatchObject({ nodeId: 'answer', round: 0 });
      const deltas = replied.flatMap((e) => (e.type === 'llm_text' ? [e.delta] : []));
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(answer);
      expect(replied.find((e) => e.type === 'llm_response')).toMatchObject({ nodeId: 'answer', text: answer, toolCalls: [] });
      expect(botTexts(replied)[0]).toBe(answer);
      // In order: request, the pieces, the response, then the reply reaches the chat.
      const order = replied.map((e) => e.type).filter((t) => t.startsWith('llm_') || t === 'bot_message');
      expect(order[0]).toBe('llm_request');
      expect(order.slice(1, 1 + deltas.length).every((t) => t === 'llm_text')).toBe(true);
      expect(order.slice(1 + deltas.length, 3 + deltas.length)).toEqual(['llm_response', 'bot_message']);
    } finally {
      await llm.close();
    }
  });
});

describe('what the simulator refuses', () => {
  it('a server without the owner’s consent: nothing starts, and the message shows the command', async () => {
    const flowId = await setUp({ approve: false });
    const refused = await call('sim.start', { flowId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(refused.error!.message).toContain('“Support” cannot be simulated until');
    expect(refused.error!.message).toContain(`The MCP server "crm" needs your approval before it starts. It would run: ${process.execPath} ${resolve('examples/crm-server/index.js')}`);
    // The same as catalogue keys, for the studio's language: the first line, then the reason with its consent line.
    expect(refused.error!.text).toEqual({ key: 'flowBlocked.simulator', params: { flow: 'Support', count: 1 } });
    const [blocker] = refused.error!.blockers!;
    expect(blocker!.ownerTexts).toEqual([{ key: 'blocker.needsApproval', params: { server: 'crm', command: expect.stringContaining(resolve('examples/crm-server/index.js')) } }]);
    expect(blocker!.commandText).toMatchObject({ key: expect.any(String) });
    expect(() => crm()).toThrow(); // the CRM server never ran
    expect(events).toEqual([]);
  });

  it('a flow with errors against the real catalogue, listing every problem', async () => {
    const flowId = await setUp();
    const doc = await ok('flows.get', { id: flowId });
    const flow = doc.flow;
    // The ticket step straight after the priority question (no confirmation), and a tool the server does not offer.
    flow.edges = flow.edges.map((e: { id: string }) => (e.id === 'e4' ? { ...e, target: 'create' } : e));
    flow.nodes.find((n: { id: string }) => n.id === 'lookup').data.tool = 'find_customer';
    await ok('flows.save', { flow, expectedUpdatedAt: doc.updatedAt });
    const refused = await call('sim.start', { flowId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const message = refused.error!.message;
    expect(message).toContain('“Support” cannot be simulated until these 3 problems are fixed:\n• ');
    expect(message).toContain('• The step "Create ticket" changes data (create_ticket on crm) but can be reached without the customer confirming: from "Ask priority".');
    expect(message).toContain('• The step "Look up the customer" uses the tool find_customer on the server "crm", but that server does not offer a tool called find_customer.');
    // Each reason also as the validator's problem text, for the studio's language.
    expect(refused.error!.text).toMatchObject({ key: 'flowBlocked.simulator', params: { count: 3 } });
    expect(refused.error!.blockers).toHaveLength(3);
    for (const blocker of refused.error!.blockers!) expect(blocker.text?.key, blocker.message).toEqual(expect.any(String));
    expect(events).toEqual([]);
  });

  it('unknown flows, steps and sessions', async () => {
    const flowId = await setUp();
    expect(await call('sim.start', { flowId: 'no-such-flow' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no flow "no-such-flow".' } });
    expect(await call('sim.start', { flowId, startAt: 'nowhere' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `Cannot start the simulation: there is no step "nowhere" in the flow "${flowId}" to start from.` },
    });
    for (const method of ['sim.send', 'sim.restart', 'sim.stop']) {
      const input = method === 'sim.send' ? { sessionId: 'gone', text: 'hi' } : { sessionId: 'gone' };
      expect(await call(method, input)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('There is no simulator session "gone"') } });
    }
  });

  it('a conversation started before the settings changed is not continued on the old servers', async () => {
    const flowId = await setUp();
    const s = await start({ flowId });
    const changed = crmConfig();
    changed.mcpServers.crm.env.CRM_DATA_DIR = join(root, 'crm-2');
    await ok('settings.save', { config: changed });
    expect(await call('sim.send', { sessionId: s.sessionId, text: 'c1' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'The settings changed since this simulation started. Restart the simulator to use them.' },
    });
  });

  it('a studio without MCP workspace says the simulator is not available', async () => {
    await studio.close();
    studio = createStudio({
      dataDir,
      templatesDir: resolve('flows'),
      watchFiles: false,
      log: () => undefined,
      mcp: { catalog: async () => ({ servers: [] }), approveServer: async () => undefined, approveTools: async (_s, tools) => tools.map((t) => t.name) },
    });
    const flowId = (await ok('flows.create', { name: 'Support', templateId: 'support-ticket' })).id;
    expect(await call('sim.start', { flowId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'The simulator is not available here: this studio runs without MCP servers.' },
    });
  });

  it('wrong payloads are INVALID_INPUT naming the field', async () => {
    const invalid = async (method: string, input: unknown, field: string) => {
      const result = await call(method, input);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(result.error!.message).toContain(field);
    };
    await invalid('sim.start', {}, 'input.flowId');
    await invalid('sim.start', { flowId: 'Not An Id' }, 'input.flowId');
    await invalid('sim.start', { flowId: 'x', dryRun: 'yes' }, 'input.dryRun');
    await invalid('sim.start', { flowId: 'x', vars: { '1st': 'a' } }, 'input.vars');
    await invalid('sim.start', { flowId: 'x', vars: { contact: 'a' } }, 'input.vars.contact');
    await invalid('sim.start', { flowId: 'x', startAt: '' }, 'input.startAt');
    await invalid('sim.start', { flowId: 'x', speed: 2 }, 'speed');
    await invalid('sim.send', { sessionId: 's' }, 'input.text');
    await invalid('sim.send', { sessionId: 's', text: '   ' }, 'input.text');
    await invalid('sim.restart', { sessionId: 7 }, 'input.sessionId');
    await invalid('sim.stop', {}, 'input.sessionId');
    expect(events).toEqual([]);
  });
});
