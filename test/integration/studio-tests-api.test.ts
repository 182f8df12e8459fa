// The tests.* API through the dispatcher (what the web host and Electron carry): cases saved next
// to the flow in the data folder, never overwritten silently, run in the studio's own workspace
// against the real example CRM server, failing with a diff once the flow changes.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../src-main/app/studio';
import type { StudioEvent } from '../../src-main/app/event-hub';
import type { RunEvent } from '../../src-main/shared/run-event';
import { crmServer } from '../support/crm-workspace';
import { reviewedTools } from '../support/studio-api';

let dir: string;
let studio: Studio;
let events: StudioEvent[];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-tests-api-'));
  studio = createStudio({ dataDir: join(dir, 'data'), templatesDir: resolve('flows'), watchFiles: false, log: () => undefined });
  events = [];
  studio.service.on((e) => events.push(e));
  // The owner set up the CRM server and approved it and its tools.
  const tools = { get_order_status: 'read', search_customers: 'read', create_ticket: 'write', update_address: 'write', book_appointment: 'write' } as const;
  expect(await call('settings.save', { config: { mcpServers: { crm: crmServer(dir, { ...tools }) } } })).toMatchObject({ ok: true });
  const { command } = (await call('mcp.catalog')).output.servers[0];
  expect(await call('mcp.approveServer', { server: 'crm', command })).toMatchObject({ ok: true });
  const ok = async (method: string, input?: unknown) => (await call(method, input)).output;
  expect(await call('mcp.approveTools', await reviewedTools(ok, 'crm', Object.keys(tools)))).toMatchObject({ ok: true });
  expect(await call('flows.create', { name: 'Support', templateId: 'support-ticket' })).toMatchObject({ ok: true, output: { id: 'support' } });
});
afterEach(async () => {
  await studio.close();
  rmSync(dir, { recursive: true, force: true });
});

type Result = { ok: boolean; output?: any; error?: { code: string; message: string } };
const call = (method: string, input: unknown = {}) => studio.dispatcher.dispatch(method, input) as Promise<Result>;
const committedCase = () => JSON.parse(readFileSync(resolve('flows/support-ticket.tests/customer-confirms-the-ticket.test.json'), 'utf8'));
const caseFile = (id: string) => join(studio.flowsDir, 'support.tests', `${id}.test.json`);
const tickets = () => (JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')) as { tickets: unknown[] }).tickets;

describe('tests.* through the dispatcher', () => {
  it('saves a case next to the flow, lists it, runs it green, and red with a diff after the flow changed', async () => {
    expect(await call('tests.list', { flowId: 'support' })).toEqual({ ok: true, output: { cases: [], broken: [] } });

    const saved = await call('tests.save', { flowId: 'support', name: 'Customer confirms the ticket', case: committedCase() });
    expect(saved).toMatchObject({ ok: true, output: { id: 'customer-confirms-the-ticket', file: join('support.tests', 'customer-confirms-the-ticket.test.json') } });
    // Saved under this flow's id, whatever the case said.
    expect(JSON.parse(readFileSync(caseFile('customer-confirms-the-ticket'), 'utf8'))).toMatchObject({ flowId: 'support', name: 'Customer confirms the ticket' });
    expect(events).toContainEqual({ event: 'tests.changed', payload: { flowId: 'support' } });

    const listed = await call('tests.list', { flowId: 'support' });
    expect(listed.output.cases).toMatchObject([{ id: 'customer-confirms-the-ticket', name: 'Customer confirms the ticket', testCase: { turns: [{ customer: 'c1' }, {}, {}, {}] } }]);

    // By default the case's confirmed write is a dry run: compared, never sent.
    const green = await call('tests.run', { flowId: 'support' });
    expect(green).toMatchObject({ ok: true, output: { passed: 1, failed: 0, results: [{ name: 'Customer confirms the ticket', passed: true, diff: '' }] } });
    expect(green.output.results[0].results.length).toBeGreaterThan(5);
    expect(tickets()).toEqual([]);
    // Live: the owner asked for real writes, in the studio's workspace.
    const live = await call('tests.run', { flowId: 'support', live: true });
    expect(live).toMatchObject({ ok: true, output: { passed: 1, failed: 0 } });
    expect(tickets()).toHaveLength(1);

    const doc = (await call('flows.get', { id: 'support' })).output;
    const flow = structuredClone(doc.flow);
    flow.nodes.find((n: { id: string }) => n.id === 'ask-problem').data.question = 'What went wrong?';
    expect(await call('flows.save', { flow })).toMatchObject({ ok: true });
    const red = await call('tests.run', { flowId: 'support', names: ['Customer confirms the ticket'] });
    expect(red).toMatchObject({ ok: true, output: { passed: 0, failed: 1 } });
    const [result] = red.output.results;
    expect(result.passed).toBe(false);
    expect(result.results.filter((r: { ok: boolean }) => !r.ok)).toEqual([
      // The committed case leaves the customer's name (from the CRM lookup) open: a pattern.
      expect.objectContaining({ place: 'turn', turn: 1, kind: 'reply', expected: 'matching /^Thanks, .+?! Please describe the problem in one message\\.$/', got: '"What went wrong?"' }),
    ]);
    expect(result.diff).toContain('Turn 1, after the customer wrote "c1":\n  reply 1\n    expected: matching /^Thanks, .+?! Please describe the problem in one message\\.$/\n    got:      "What went wrong?"');
  });

  it('never overwrites a case silently: CONFLICT, unless overwrite is asked for', async () => {
    expect(await call('tests.save', { flowId: 'support', name: 'Yes path', case: committedCase() })).toMatchObject({ ok: true });
    const before = readFileSync(caseFile('yes-path'), 'utf8');
    const changed = { ...committedCase(), description: 'changed' };
    const again = await call('tests.save', { flowId: 'support', name: 'Yes path!', case: changed });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('There is already a test case "yes-path" for this flow') } });
    expect(readFileSync(caseFile('yes-path'), 'utf8')).toBe(before);
    expect(await call('tests.save', { flowId: 'support', name: 'Yes path', case: changed, overwrite: true })).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(caseFile('yes-path'), 'utf8')).description).toBe('changed');
  });

  it('saves a recorded simulator run as a case (exact texts), which then passes', async () => {
    const id = 'sim-1';
    const e = (event: Record<string, unknown>) => ({ conversationId: id, ...event }) as RunEvent;
    const args = { customerId: 'c1', subject: 'WhatsApp support request', description: 'Lamp', priority: 'low' };
    const run = {
      messages: ['c1', 'Lamp', 'low', 'no'],
      events: [
        e({ type: 'conversation_started', flowId: 'support' }),
        e({ type: 'bot_message', text: 'Hi! What is your customer number? (for example c1)' }),
        e({ type: 'customer_message', text: 'c1' }),
        e({ type: 'tool_call', nodeId: 'lookup', server: 'crm', tool: 'search_customers', args: { query: 'c1' }, status: 'executed', durationMs: 3 }),
        e({ type: 'bot_message', text: 'Thanks, Ana Souza! Please describe the problem in one message.' }),
        e({ type: 'customer_message', text: 'Lamp' }),
        e({ type: 'bot_message', text: 'How urgent is it?\n1. low\n2. normal\n3. high' }),
        e({ type: 'customer_message', text: 'low' }),
        e({ type: 'bot_message', text: confirmText(args) }),
        e({ type: 'confirmation_requested', nodeId: 'create', server: 'crm', tool: 'create_ticket', args }),
        e({ type: 'customer_message', text: 'no' }),
        e({ type: 'tool_call', nodeId: 'create', server: 'crm', tool: 'create_ticket', args, status: 'declined', reason: 'the customer said no', durationMs: 0 }),
        e({ type: 'bot_message', text: 'OK, I have not created anything. Write again whenever you like.' }),
        e({ type: 'end', status: 'ended' }),
      ],
      final: { status: 'ended', vars: { customerId: 'c1', problem: 'Lamp', priority: 'low' } },
    };
    const saved = await call('tests.save', { flowId: 'support', name: 'Declined, low', run });
    expect(saved).toMatchObject({ ok: true, output: { id: 'declined-low', testCase: { turns: [{}, {}, {}, { customer: 'no', toolCalls: [{ status: 'declined' }] }], end: { status: 'ended' } } } });
    const ran = await call('tests.run', { flowId: 'support', names: ['declined-low'] });
    expect(ran.output.results[0]).toMatchObject({ passed: true, diff: '' });
    expect(tickets()).toEqual([]);

    const unmarked = { ...run, events: run.events.filter((x) => x.type !== 'customer_message') };
    expect(await call('tests.save', { flowId: 'support', name: 'Unmarked', run: unmarked })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('no customer_message events') },
    });
    expect(existsSync(caseFile('unmarked'))).toBe(false);
  });

  it('a flow that cannot run now is not run; the result says why, also as catalogue keys for the studio’s language', async () => {
    await call('tests.save', { flowId: 'support', name: 'Good', case: committedCase() });
    const doc = (await call('flows.get', { id: 'support' })).output;
    const flow = structuredClone(doc.flow);
    flow.nodes.find((n: { id: string }) => n.id === 'lookup').data.tool = 'find_customer';
    expect(await call('flows.save', { flow })).toMatchObject({ ok: true });
    const [result] = (await call('tests.run', { flowId: 'support' })).output.results;
    expect(result).toMatchObject({ passed: false, results: [], error: expect.stringContaining('The flow has problems, so it was not run: ') });
    expect(result.error).toContain('that server does not offer a tool called find_customer');
    expect(result.errorText).toEqual({ key: 'flowBlocked.tests', params: { flow: flow.name, count: result.blockers.length } });
    expect(result.blockers).toContainEqual({ message: expect.stringContaining('does not offer a tool called find_customer'), text: { key: 'TOOL_UNKNOWN_TOOL', params: expect.objectContaining({ tool: 'find_customer' }) } });
  });

  it('lists a broken case file with file + field and runs it as failed; deletes cases', async () => {
    await call('tests.save', { flowId: 'support', name: 'Good', case: committedCase() });
    writeFileSync(caseFile('broken'), JSON.stringify({ schemaVersion: 1, name: 'Broken', flowId: 'support', turns: [{ customer: 'c1', replies: [{ regex: '(' }] }] }));
    const listed = (await call('tests.list', { flowId: 'support' })).output;
    expect(listed.cases.map((c: { id: string }) => c.id)).toEqual(['good']);
    expect(listed.broken).toMatchObject([
      { id: 'broken', file: join('support.tests', 'broken.test.json'), problems: [{ field: 'turns[0].replies[0].regex', message: expect.stringContaining('support.tests/broken.test.json: turns[0].replies[0].regex: not a valid regular expression') }] },
    ]);
    const ran = (await call('tests.run', { flowId: 'support' })).output;
    expect(ran).toMatchObject({ passed: 1, failed: 1 });
    expect(ran.results.find((r: { name: string }) => r.name === 'broken')).toMatchObject({ passed: false, error: expect.stringContaining('The case file cannot be read') });

    events.length = 0;
    expect(await call('tests.delete', { flowId: 'support', name: 'Good' })).toEqual({ ok: true, output: { deleted: true } });
    expect(existsSync(caseFile('good'))).toBe(false);
    expect(events).toEqual([{ event: 'tests.changed', payload: { flowId: 'support' } }]);
    expect(await call('tests.delete', { flowId: 'support', name: 'Good' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses bad input with the field named, unknown flows and cases with NOT_FOUND', async () => {
    expect(await call('tests.list', { flowId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no flow "nope".' } });
    expect(await call('tests.save', { flowId: 'nope', name: 'x', case: committedCase() })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(existsSync(join(studio.flowsDir, 'nope.tests'))).toBe(false);
    expect(await call('tests.run', { flowId: 'support', names: ['nope'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'The flow "support" has no test case "nope".' } });
    expect(await call('tests.save', { flowId: 'support', name: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('give either "case" or "run"') } });
    const bad = { ...committedCase(), turns: [{ customer: 'c1', replies: [{}] }] };
    expect(await call('tests.save', { flowId: 'support', name: 'x', case: bad })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('input.case.turns[0].replies[0]: needs one of "text" (exact), "contains" or "regex"') },
    });
  });
});

/** The confirmation question of the support-ticket flow for these arguments, as the engine words it. */
function confirmText(args: Record<string, string>): string {
  const lines = Object.keys(args)
    .sort()
    .map((k) => `• ${k}: ${JSON.stringify(args[k])}`);
  return `Shall I open this support ticket for you?\n\nAction: create_ticket (crm)\n${lines.join('\n')}\n\nReply YES to confirm or NO to cancel.`;
}
