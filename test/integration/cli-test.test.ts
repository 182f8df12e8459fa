// `flowbot test` as a child process against the real example CRM server: the committed
// support-ticket cases pass; a broken copy of the flow fails with a readable diff; bad case
// files exit 2 naming the file and the field; --record writes a case that then passes.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process';
import { crmServer } from '../support/crm-workspace';

const FLOWS = resolve('flows');
const CASES = join(FLOWS, 'support-ticket.tests');
const TOOLS = { get_order_status: 'read', search_customers: 'read', create_ticket: 'write', update_address: 'write', book_appointment: 'write' } as const;

let dir: string;
let config: string;
let dataDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-cli-test-'));
  dataDir = join(dir, 'data');
  config = join(dir, 'workspace.json');
  // Like examples/workspace.json, with the CRM's data in this test's folder.
  writeFileSync(config, JSON.stringify({ mcpServers: { crm: crmServer(dir, { ...TOOLS }) } }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI's stdout lines (text output) and its exit code. */
async function flowbotTest(args: string[], stdin: string[] = []) {
  const { code, events, stderr } = await runCli(['test', ...args, '--data-dir', dataDir], stdin);
  const lines = events.map((e) => (e.type === 'text' ? String(e.text) : JSON.stringify(e)));
  return { code, lines, stdout: lines.join('\n'), stderr, events };
}

/** A copy of the support-ticket template and its cases in the test's folder, changed by `edit`. */
function brokenCopy(edit: (flow: { nodes: { id: string; data: Record<string, unknown> }[]; edges: { id: string }[] }) => void): string {
  const copy = join(dir, 'flows');
  mkdirSync(copy);
  cpSync(CASES, join(copy, 'support-ticket.tests'), { recursive: true });
  const flow = JSON.parse(readFileSync(join(FLOWS, 'support-ticket.flow.json'), 'utf8'));
  edit(flow);
  writeFileSync(join(copy, 'support-ticket.flow.json'), JSON.stringify(flow, null, 2));
  return copy;
}

const crmFile = () => join(dir, 'crm', 'crm.json');
const crmTickets = () => (JSON.parse(readFileSync(crmFile(), 'utf8')) as { tickets: { description: string; priority: string }[] }).tickets;

describe('flowbot test', () => {
  it('the committed support-ticket cases pass against the real CRM server; by default the write is a dry run and the CRM data does not change', async () => {
    // The read-only case first: the CRM writes its seed data on first use.
    expect((await flowbotTest([join(CASES, 'customer-says-no.test.json'), '--config', config])).code).toBe(0);
    const seeded = readFileSync(crmFile(), 'utf8');
    const { code, lines, stderr } = await flowbotTest([CASES, '--config', config]);
    expect(stderr).toBe('');
    expect(lines).toEqual([
      'PASS  Customer confirms the ticket  (flows/support-ticket.tests/customer-confirms-the-ticket.test.json)',
      'PASS  Customer says no  (flows/support-ticket.tests/customer-says-no.test.json)',
      '2 passed, 0 failed',
    ]);
    expect(code).toBe(0);
    expect(readFileSync(crmFile(), 'utf8')).toBe(seeded);
  });

  it('--live sends the confirmed write to the CRM for real', async () => {
    const { code, lines, stderr } = await flowbotTest([CASES, '--config', config, '--live']);
    expect(stderr).toBe('flowbot: --live: write tools the cases confirm are sent to their servers for real.\n');
    expect(lines.at(-1)).toBe('2 passed, 0 failed');
    expect(code).toBe(0);
    // The confirmed case opened one ticket; the declined one did not.
    expect(crmTickets()).toMatchObject([{ description: 'My lamp flickers', priority: 'high' }]);
  });

  it('a committed case cannot write by itself: preset variables, a start at the confirmation, its own "yes" and loose arguments write nothing by default', async () => {
    const copy = brokenCopy(() => undefined);
    const tests = join(copy, 'support-ticket.tests');
    rmSync(join(tests, 'customer-says-no.test.json'));
    writeFileSync(
      join(tests, 'customer-confirms-the-ticket.test.json'),
      JSON.stringify({
        schemaVersion: 1,
        name: 'Sneaky refund',
        flowId: 'support-ticket',
        startAt: 'confirm',
        vars: { customerId: 'c2', problem: 'Refund 5000 EUR to IBAN XX00', priority: 'high' },
        turns: [{ customer: 'yes', toolCalls: [{ server: 'crm', tool: 'create_ticket', args: {}, argsMatch: 'subset', status: 'executed' }] }],
      }),
    );
    const { code, lines } = await flowbotTest([copy, '--config', config]);
    // Compared like any other call: the dry run meets "executed", so the case passes, and nothing was written.
    expect(lines.at(-1)).toBe('1 passed, 0 failed');
    expect(code).toBe(0);
    expect(existsSync(crmFile()) ? crmTickets() : []).toEqual([]);
  });

  it('a changed message text fails with exit 1 and a diff naming the turn and both texts', async () => {
    const copy = brokenCopy((flow) => {
      flow.nodes.find((n) => n.id === 'ask-problem')!.data.question = 'Please describe your problem.';
    });
    const { code, lines, stdout } = await flowbotTest([join(copy, 'support-ticket.tests', 'customer-confirms-the-ticket.test.json'), '--config', config]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      [
        '    Turn 1, after the customer wrote "c1":',
        '      reply 1',
        '        expected: matching /^Thanks, .+?! Please describe the problem in one message\\.$/',
        '        got:      "Please describe your problem."',
      ].join('\n'),
    );
    expect(lines[0]).toMatch(/^FAIL {2}Customer confirms the ticket {2}\(.*customer-confirms-the-ticket\.test\.json\)$/);
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('a case never confirms a write it did not record: a changed argument stops the replay before the yes, nothing is written', async () => {
    const copy = brokenCopy((flow) => {
      const args = flow.nodes.find((n) => n.id === 'create')!.data.args as Record<string, string>;
      args.subject = 'Refund 5000 EUR';
    });
    const { code, stdout } = await flowbotTest([join(copy, 'support-ticket.tests', 'customer-confirms-the-ticket.test.json'), '--config', config]);
    expect(code).toBe(1);
    expect(stdout).toContain('In turn 4, the bot asked to confirm crm.create_ticket with the arguments');
    expect(stdout).toContain('"subject":"Refund 5000 EUR"');
    expect(stdout).toContain('The replay stopped before answering, so nothing was written.');
    expect(crmTickets()).toEqual([]);
  });

  it('a removed connection fails only the case that needs it', async () => {
    // e7: from the create-ticket step to the "Done! Your ticket number is …" end.
    const copy = brokenCopy((flow) => {
      flow.edges = flow.edges.filter((e) => e.id !== 'e7');
    });
    const { code, stdout, lines } = await flowbotTest([copy, '--config', config]);
    expect(code).toBe(1);
    expect(lines).toContain('PASS  Customer says no  (' + join(copy, 'support-ticket.tests', 'customer-says-no.test.json') + ')');
    expect(stdout).toContain(
      [
        '    Turn 4, after the customer wrote "yes":',
        '      reply 1',
        '        expected: matching /^Done! Your ticket number is .*?\\. We will get back to you soon\\.$/',
        '        got:      nothing',
      ].join('\n'),
    );
    // The write step still ran (as a dry run: nothing was sent), so only the reply differs.
    expect(stdout).not.toContain('tool call 1');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
    expect(crmTickets()).toEqual([]);
  });

  it('a flow with errors is not run: the case fails saying why', async () => {
    const copy = brokenCopy((flow) => {
      // The write tool is now reachable without the confirmation.
      flow.edges = flow.edges.map((e) => (e.id === 'e4' ? { ...e, target: 'create' } : e));
    });
    const { code, stdout, lines } = await flowbotTest([join(copy, 'support-ticket.tests', 'customer-says-no.test.json'), '--config', config]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/The flow has problems, so it was not run: .*create_ticket.*\[step create\]/);
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('bad case files: exit 2 naming the file and the field; the good case still runs', async () => {
    const copy = brokenCopy(() => undefined);
    const tests = join(copy, 'support-ticket.tests');
    writeFileSync(join(tests, 'bad-reply.test.json'), JSON.stringify({ schemaVersion: 1, name: 'Bad', flowId: 'support-ticket', turns: [{ customer: 'c1', replies: [{ txt: 'Hi' }] }] }));
    writeFileSync(join(tests, 'broken-json.test.json'), '{ "schemaVersion": 1,\n  "name": "Broken"\n  "turns": [] }');
    rmSync(join(tests, 'customer-confirms-the-ticket.test.json'));
    const { code, lines } = await flowbotTest([copy, '--config', config]);
    expect(code).toBe(2);
    const bad = join(tests, 'bad-reply.test.json');
    expect(lines).toContain(`ERROR ${bad}: turns[0].replies[0]: unknown field "txt"`);
    expect(lines.find((l) => l.startsWith(`ERROR ${join(tests, 'broken-json.test.json')} line 3, column 3:`))).toBeDefined();
    expect(lines).toContain(`PASS  Customer says no  (${join(tests, 'customer-says-no.test.json')})`);
    expect(lines.at(-1)).toBe('1 passed, 2 failed');
  });

  it('a case without its flow next to it: exit 2 saying where it looked', async () => {
    const lonely = join(dir, 'elsewhere.tests');
    mkdirSync(lonely);
    cpSync(join(CASES, 'customer-says-no.test.json'), join(lonely, 'no.test.json'));
    const { code, lines } = await flowbotTest([lonely, '--config', config]);
    expect(code).toBe(2);
    expect(lines[0]).toBe(
      `ERROR ${join(lonely, 'no.test.json')} is in the folder elsewhere.tests but is a case for the flow "support-ticket"; move it to support-ticket.tests/ or change its "flowId".`,
    );
    const other = join(dir, 'support-ticket.tests');
    mkdirSync(other);
    cpSync(join(CASES, 'customer-says-no.test.json'), join(other, 'no.test.json'));
    const missing = await flowbotTest([other, '--config', config]);
    expect(missing.code).toBe(2);
    expect(missing.lines[0]).toBe(
      `ERROR Cannot find the flow "support-ticket" for ${join(other, 'no.test.json')}: there is no ${join(dir, 'support-ticket.flow.json')}. A case lives in <flow-id>.tests/ next to <flow-id>.flow.json.`,
    );
    expect(missing.lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('no cases, a missing path: exit 2', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = await flowbotTest([empty, '--config', config]);
    expect(none.code).toBe(2);
    expect(none.lines).toEqual([`ERROR ${empty}: no test case files (*.test.json) in this folder`, '0 passed, 1 failed']);
    const gone = await flowbotTest([join(dir, 'nope'), '--config', config]);
    expect(gone.code).toBe(2);
    expect(gone.lines[0]).toMatch(/^ERROR Cannot read .*nope: ENOENT/);
  });

  it('a case that does not finish in time fails with where it was, and the command still ends', async () => {
    const slow = join(dir, 'slow');
    mkdirSync(join(slow, 'waits.tests'), { recursive: true });
    const server = { command: process.execPath, args: [resolve('test/fixtures/mcp-servers/slow-tool.js')], tools: { slow: 'read' }, timeoutMs: 600_000 };
    writeFileSync(join(dir, 'slow.json'), JSON.stringify({ mcpServers: { slow: server } }));
    const flow = {
      schemaVersion: 1,
      id: 'waits',
      name: 'Waits',
      nodes: [
        { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
        { id: 'ask', type: 'ask', position: { x: 0, y: 100 }, data: { question: 'Say something', answer: { kind: 'text' } } },
        { id: 'call', type: 'tool', position: { x: 0, y: 200 }, data: { server: 'slow', tool: 'slow', args: {} } },
        { id: 'end', type: 'end', position: { x: 0, y: 300 }, data: { text: 'Done.' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
        { id: 'e2', source: 'ask', sourceHandle: 'next', target: 'call' },
        { id: 'e3', source: 'call', sourceHandle: 'next', target: 'end' },
      ],
    };
    writeFileSync(join(slow, 'waits.flow.json'), JSON.stringify(flow));
    writeFileSync(join(slow, 'waits.tests', 'hello.test.json'), JSON.stringify({ schemaVersion: 1, name: 'Hello', flowId: 'waits', turns: [{ customer: 'hi', replies: [{ text: 'Done.' }] }] }));
    const { code, lines } = await flowbotTest([slow, '--config', join(dir, 'slow.json'), '--timeout', '1']);
    expect(code).toBe(1);
    expect(lines).toContain('    The conversation did not finish within 1 s (it was in turn 1).');
    expect(lines).toContain('        got:      nothing');
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('--json: every result with its expectations and diff, the summary line on stderr', async () => {
    const copy = brokenCopy((flow) => {
      flow.nodes.find((n) => n.id === 'ask-problem')!.data.question = 'Please describe your problem.';
    });
    const { code, events, stderr } = await flowbotTest([join(copy, 'support-ticket.tests'), '--config', config, '--json']);
    expect(code).toBe(1);
    expect(stderr).toBe('0 passed, 2 failed\n');
    const [report] = events as unknown as { cases: { name: string; passed: boolean; diff: string; results: { ok: boolean; turn?: number }[] }[]; passed: number; failed: number }[];
    expect(report!.passed).toBe(0);
    expect(report!.failed).toBe(2);
    expect(report!.cases.map((c) => c.name)).toEqual(['Customer confirms the ticket', 'Customer says no']);
    expect(report!.cases[0]!.results.filter((r) => !r.ok)).toMatchObject([{ turn: 1, kind: 'reply', got: '"Please describe your problem."' }]);
    expect(report!.cases[0]!.diff).toContain('Turn 1, after the customer wrote "c1":');
  });

  it('--record saves the conversation next to the flow; it passes; it is never replaced without --overwrite', async () => {
    const copy = join(dir, 'flows');
    mkdirSync(copy);
    cpSync(join(FLOWS, 'support-ticket.flow.json'), join(copy, 'support-ticket.flow.json'));
    const flowFile = join(copy, 'support-ticket.flow.json');
    const record = (extra: string[] = []) =>
      runCli(['test', '--record', flowFile, '--name', 'Normal priority', '--config', config, '--data-dir', dataDir, '--loose-tool-values', ...extra], ['c2', 'Printer jams', 'normal', 'yes']);

    const first = await record();
    expect(first.code).toBe(0);
    const file = join(copy, 'support-ticket.tests', 'normal-priority.test.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({
      schemaVersion: 1,
      name: 'Normal priority',
      flowId: 'support-ticket',
      turns: [
        // The customer's name came from the CRM lookup: a pattern, like the ticket number.
        { customer: 'c2', replies: [{ regex: '^Thanks, .*?! Please describe the problem in one message\\.$' }], toolCalls: [{ tool: 'search_customers', status: 'executed' }] },
        { customer: 'Printer jams' },
        { customer: 'normal' },
        { customer: 'yes', replies: [{ regex: '^Done! Your ticket number is .*?\\. We will get back to you soon\\.$' }], toolCalls: [{ status: 'executed', args: { customerId: 'c2', priority: 'normal' } }] },
      ],
      end: { status: 'ended', vars: { customerId: 'c2', problem: 'Printer jams', priority: 'normal' } },
    });

    // The CRM now hands out the next ticket number: the pattern still matches (live: the reply shows the written ticket).
    const replay = await flowbotTest([file, '--config', config, '--live']);
    expect(replay.lines.at(-1)).toBe('1 passed, 0 failed');
    expect(replay.code).toBe(0);
    expect(crmTickets()).toHaveLength(2);

    const before = readFileSync(file, 'utf8');
    const again = await record();
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${file} exists already; choose another --name or pass --overwrite to replace it.`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(crmTickets()).toHaveLength(2); // refused before anything ran
    expect((await record(['--overwrite'])).code).toBe(0);
  });
});
