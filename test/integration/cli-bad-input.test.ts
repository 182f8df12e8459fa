// Bad input through the real `flowbot` CLI (a child process): broken flow files, broken
// workspace configs, MCP servers that are missing, die at start, hang or refuse, and wrong
// command lines. Each case checks the exit code, that the message names the file and the
// line/column (or the step id and field), and that the input files were left untouched.
// Hand-written broken files live in test/fixtures/bad-input/; everything else (generated
// flows, configs, data dirs) goes into a fresh temp dir.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEntry } from '../support/cli-bundle';
import { edge, flow, flowText, line, n } from '../unit/flow-builders';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'test/fixtures/bad-input'; // relative to ROOT, the CLI's cwd: messages repeat it as given
const fixture = (name: string) => `${FIXTURES}/${name}`;
const SLOW_TOOL = join(ROOT, 'test/fixtures/mcp-servers/slow-tool.js');
const EXITS_AT_START = join(ROOT, 'test/fixtures/mcp-servers/exits-at-start.js');
const CRM_SERVER = join(ROOT, 'examples/crm-server/index.js');

type Event = { type: string; [key: string]: unknown };
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp: string;

/** Runs the CLI (`node <bundle> ...args`, see cli-bundle.ts) in the repository root; `stdin` is the customer's messages. */
function flowbot(args: string[], stdin = ''): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cliEntry(), ...args], {
      cwd: ROOT,
      // Never the real app data folder, even if a case forgot --data-dir.
      env: { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {}); // the CLI may exit before reading stdin
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const events = (stdout: string): Event[] =>
  stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event);
const flowsOf = (stdout: string) =>
  (JSON.parse(stdout) as { flows: { file: string; valid: boolean; errors: Record<string, unknown>[]; warnings: unknown[] }[] }).flows;

/** Remembers the files' bytes and mtimes; the returned check fails if any was rewritten. */
function untouched(...files: string[]): () => void {
  const abs = (f: string) => (isAbsolute(f) ? f : join(ROOT, f));
  const before = files.map((f) => ({ bytes: readFileSync(abs(f)), mtime: statSync(abs(f)).mtimeMs }));
  return () =>
    files.forEach((f, i) => {
      expect(readFileSync(abs(f)).equals(before[i]!.bytes), `${f} was rewritten`).toBe(true);
      expect(statSync(abs(f)).mtimeMs, `${f} was touched`).toBe(before[i]!.mtime);
    });
}

/** 1-based line and column of the first occurrence of `needle` in a fixture. */
function whereIs(file: string, needle: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const at = text.indexOf(needle);
  expect(at, `${needle} not in ${file}`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at);
  return `line ${before.split('\n').length}, column ${at - before.lastIndexOf('\n')}`;
}

const write = (name: string, text: string): string => {
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
};

// Generated inputs (written in beforeAll).
let validFlow: string;
let unguardedFlow: string;
let crmConfig: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'flowbot-bad-input-'));
  validFlow = write('hello.flow.json', flowText(flow([n.start(), n.message('hi', 'Hello!'), n.end()], line('start', 'hi', 'end'), { id: 'hello' })));
  unguardedFlow = write('unguarded.flow.json', flowText(flow(
    [n.start(), n.tool('create', { server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', subject: 'Broken' } }), n.end()],
    line('start', 'create', 'end'),
    { id: 'unguarded' },
  )));
  crmConfig = write('crm.workspace.json', JSON.stringify({
    mcpServers: {
      crm: {
        command: process.execPath,
        args: [CRM_SERVER],
        env: { CRM_DATA_DIR: join(tmp, 'crm') },
        tools: { get_order_status: 'read', create_ticket: 'write' },
        // Its data folder is under /tmp, which the sandbox hides: granted.
        sandbox: { folders: [{ path: join(tmp, 'crm'), access: 'write' }] },
      },
    },
  }, null, 2));
});

describe('flowbot validate: unreadable input -> exit 2', () => {
  it('malformed JSON names the file, line and column (text and --json)', async () => {
    const file = fixture('missing-comma.flow.json');
    const check = untouched(file);
    const where = whereIs(file, '{ "id": "bye"'); // the step after the missing comma

    const text = await flowbot(['validate', file]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`${file}: INVALID (1 error)`);
    expect(text.stdout).toContain(`error FLOW_JSON_INVALID: ${file} ${where}: Expected ',' or ']' after array element`);
    expect(where).toBe('line 7, column 5');

    const json = await flowbot(['validate', file, '--json']);
    expect(json.code).toBe(2);
    const [report, ...more] = flowsOf(json.stdout);
    expect(more).toEqual([]);
    expect(report).toMatchObject({ file, valid: false, warnings: [] });
    expect(report!.errors).toEqual([
      { code: 'FLOW_JSON_INVALID', severity: 'error', message: expect.stringContaining(`${file} ${where}:`) },
    ]);
    check();
  });

  it('a bare word (no position in V8\'s message) is still located by line and column', async () => {
    const file = fixture('bare-word.flow.json');
    const check = untouched(file);
    const where = whereIs(file, 'hello }');
    const { code, stdout } = await flowbot(['validate', file, '--json']);
    expect(code).toBe(2);
    expect(where).toBe('line 7, column 93');
    expect(flowsOf(stdout)[0]!.errors).toEqual([
      expect.objectContaining({ code: 'FLOW_JSON_INVALID', message: `${file} ${where}: Unexpected token 'h'` }),
    ]);
    check();
  });

  it('a missing flow file -> FILE_UNREADABLE naming the file, and the file is not created', async () => {
    const file = join(tmp, 'no-such.flow.json');
    const { code, stdout } = await flowbot(['validate', file, '--json']);
    expect(code).toBe(2);
    expect(flowsOf(stdout)).toEqual([{
      file,
      valid: false,
      errors: [expect.objectContaining({ code: 'FILE_UNREADABLE', message: expect.stringMatching(new RegExp(`^Cannot read the flow file ${file}: ENOENT`)) })],
      warnings: [],
    }]);
    expect(existsSync(file)).toBe(false);
  });

  it('a config file with broken JSON -> exit 2 naming the config file, line and column; no flow is reported', async () => {
    const cfg = fixture('broken.workspace.json');
    const check = untouched(cfg, validFlow);
    const where = whereIs(cfg, '"tools"'); // the property after the missing comma
    const { code, stdout, stderr } = await flowbot(['validate', validFlow, '--config', cfg]);
    expect(code).toBe(2);
    expect(where).toBe('line 6, column 7');
    expect(stderr).toBe(`flowbot: The config file ${cfg} is not valid JSON: ${where}: Expected ',' or '}' after property value\n`);
    expect(stdout).toBe('');
    check();
  });

  it('a config whose mcpServers.crm.command is a number -> exit 2 naming the file and the field', async () => {
    const cfg = fixture('command-not-text.workspace.json');
    const check = untouched(cfg, validFlow);
    const { code, stdout, stderr } = await flowbot(['validate', validFlow, '--config', cfg, '--json']);
    expect(code).toBe(2);
    expect(stderr).toContain(`flowbot: The config file ${cfg} has problems:\n`);
    expect(stderr).toContain('  mcpServers.crm.command: expected text\n');
    expect(stdout).toBe('');
    check();
  });

  it('a missing config file -> exit 2 naming it', async () => {
    const cfg = join(tmp, 'no-such.workspace.json');
    const { code, stderr } = await flowbot(['validate', validFlow, '--config', cfg]);
    expect(code).toBe(2);
    expect(stderr).toContain(`flowbot: Cannot read the config file ${cfg}: ENOENT`);
    expect(existsSync(cfg)).toBe(false);
  });

  it('one valid + one unreadable file -> exit 2 (unreadable wins), both listed', async () => {
    const bad = fixture('missing-comma.flow.json');
    const { code, stdout } = await flowbot(['validate', validFlow, bad, '--json']);
    expect(code).toBe(2);
    expect(flowsOf(stdout).map((f) => [f.file, f.valid, f.errors.map((e) => e.code)])).toEqual([
      [validFlow, true, []],
      [bad, false, ['FLOW_JSON_INVALID']],
    ]);
  });
});

describe('flowbot validate: invalid flows -> exit 1 with step id and field', () => {
  it('schema violations: a connection without target, an answer kind "maybe"', async () => {
    const file = fixture('schema-violations.flow.json');
    const check = untouched(file);

    const json = await flowbot(['validate', file, '--json']);
    expect(json.code).toBe(1);
    const [report] = flowsOf(json.stdout);
    expect(report).toMatchObject({ file, valid: false });
    expect(report!.errors).toEqual([
      { code: 'FLOW_SCHEMA_INVALID', severity: 'error', edgeId: 'e2-dangling', field: 'edges[1].target', message: 'The connection "e2-dangling" leads nowhere: connect it to a step or delete it.' },
      {
        code: 'NODE_FIELD_INVALID',
        severity: 'error',
        nodeId: 'ask-sure',
        field: 'data.answer.kind',
        message: 'The question "ask-sure" expects a kind of answer this version does not know ("maybe"): choose one of text, number, choice, confirm, date, phone, email.',
      },
    ]);

    const text = await flowbot(['validate', file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${file}: INVALID (2 errors)`);
    expect(text.stdout).toContain('error FLOW_SCHEMA_INVALID [connection e2-dangling, edges[1].target]');
    expect(text.stdout).toContain('error NODE_FIELD_INVALID [step ask-sure, data.answer.kind]');
    check();
  });

  it('an unknown step type "webhook" -> NODE_UNKNOWN_TYPE on that step', async () => {
    const file = fixture('unknown-type.flow.json');
    const check = untouched(file);
    const { code, stdout } = await flowbot(['validate', file, '--json']);
    expect(code).toBe(1);
    expect(flowsOf(stdout)[0]!.errors).toEqual([
      expect.objectContaining({
        code: 'NODE_UNKNOWN_TYPE',
        nodeId: 'notify-shop',
        field: 'type',
        message: expect.stringContaining('has the type "webhook", which this version of Flowbot Studio does not know'),
      }),
    ]);
    check();
  });

  it('a write tool reachable without confirmation -> WRITE_TOOL_UNGUARDED on the tool step', async () => {
    const check = untouched(unguardedFlow, crmConfig);
    const { code, stdout } = await flowbot(['validate', unguardedFlow, '--config', crmConfig, '--json']);
    expect(code).toBe(1);
    expect(flowsOf(stdout)[0]!.errors).toEqual([
      expect.objectContaining({ code: 'WRITE_TOOL_UNGUARDED', nodeId: 'create', message: expect.stringContaining('create_ticket on crm') }),
    ]);
    check();
  });

  it('--live: a tool step without a required argument -> exit 1 naming the step and the argument (JSON and text)', async () => {
    const file = write('ticket-missing-subject.flow.json', flowText(flow(
      [n.start(), n.confirm('sure'), n.tool('create', { server: 'crm', tool: 'create_ticket', args: { customerId: 'c1', description: 'Cake order' } }), n.end()],
      [...line('start', 'sure'), edge('sure', 'yes', 'create'), edge('sure', 'no', 'end'), edge('create', 'next', 'end')],
      { id: 'ticket-missing-subject' },
    )));
    const check = untouched(file, crmConfig);
    const dataDir = join(tmp, 'live-data');

    const json = await flowbot(['validate', file, '--config', crmConfig, '--live', '--data-dir', dataDir, '--json']);
    expect(json.code).toBe(1);
    expect(flowsOf(json.stdout)[0]!.errors).toEqual([
      {
        code: 'TOOL_ARG_MISSING',
        severity: 'error',
        nodeId: 'create',
        field: 'data.args.subject',
        message: 'The step "create" leaves "Subject" empty, but the tool create_ticket needs it. Fill it in (it may use a saved answer, like {{order_id}}).',
      },
    ]);

    const text = await flowbot(['validate', file, '--config', crmConfig, '--live', '--data-dir', dataDir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${file}: INVALID (1 error)`);
    expect(text.stdout).toContain('error TOOL_ARG_MISSING [step create, data.args.subject]: The step "create" leaves "Subject" empty');

    // Without --live nothing is started: the file alone is fine.
    expect((await flowbot(['validate', file, '--config', crmConfig])).code).toBe(0);
    check();
  });

  it('--live needs --config', async () => {
    const { code, stderr } = await flowbot(['validate', validFlow, '--live']);
    expect(code).toBe(2);
    expect(stderr).toContain('validate --live needs --config');
  });

  it('one valid + one invalid file -> exit 1, both listed', async () => {
    const bad = fixture('unknown-type.flow.json');
    const { code, stdout } = await flowbot(['validate', validFlow, bad, '--json']);
    expect(code).toBe(1);
    expect(flowsOf(stdout).map((f) => [f.file, f.valid, f.errors.map((e) => [e.code, e.nodeId])])).toEqual([
      [validFlow, true, []],
      [bad, false, [['NODE_UNKNOWN_TYPE', 'notify-shop']]],
    ]);
  });
});

describe('flowbot chat: bad flows and failing MCP servers', () => {
  // One data dir for the whole block: at its end the audit log must hold exactly the three
  // failed tool calls, and nothing from the conversations that never started.
  let dataDir: string;
  let slowConfig: string;
  const conversations: Record<string, string> = {};
  const chat = (flowFile: string, config: string, stdin = '') =>
    flowbot(['chat', flowFile, '--config', config, '--data-dir', dataDir, '--json'], stdin);
  const slowServer = (extra: Record<string, unknown>) => ({
    command: process.execPath,
    args: [SLOW_TOOL],
    timeoutMs: 500,
    tools: { slow: 'read', fail: 'read' },
    ...extra,
  });
  const callFlow = (id: string, tool: 'slow' | 'fail', errorEdge: boolean) =>
    write(`${id}.flow.json`, flowText(flow(
      [n.start(), n.tool('call', { server: 'slow', tool }), n.message('ok', 'Done.'),
        ...(errorEdge ? [n.message('sorry', 'Sorry, our system did not answer.')] : []), n.end()],
      [...line('start', 'call', 'ok', 'end'), ...(errorEdge ? [edge('call', 'error', 'sorry'), edge('sorry', 'next', 'end')] : [])],
      { id },
    )));

  beforeAll(() => {
    dataDir = join(tmp, 'chat-data');
    slowConfig = write('slow.workspace.json', JSON.stringify({ mcpServers: { slow: slowServer({}) } }));
  });

  it('a flow with validation errors never starts: exit 1, errors name the step, nothing recorded', async () => {
    const check = untouched(unguardedFlow, crmConfig);
    const { code, stdout } = await chat(unguardedFlow, crmConfig, 'hello\nyes\n');
    expect(code).toBe(1);
    const out = events(stdout);
    // Every problem is reported (the unguarded write, and the ticket's empty required arguments), nothing else.
    expect(new Set(out.map((e) => e.type))).toEqual(new Set(['error']));
    expect(out.map((e) => e.message)).toContainEqual(expect.stringMatching(new RegExp(`^${unguardedFlow}: error WRITE_TOOL_UNGUARDED \\[step create, connection [^\\]]+\\]: `)));
    // The CRM never got a ticket (its data file, if the server seeded one, has none).
    const crmFile = join(tmp, 'crm', 'crm.json');
    if (existsSync(crmFile)) expect(JSON.parse(readFileSync(crmFile, 'utf8')).tickets).toEqual([]);

    const audit = await flowbot(['audit', 'list', '--data-dir', dataDir, '--json']);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toEqual({ records: [] });
    check();
  });

  it('a flow with broken JSON never starts: exit 2, the error names the file, line and column', async () => {
    const file = fixture('missing-comma.flow.json');
    const check = untouched(file, slowConfig);
    const { code, stdout } = await chat(file, slowConfig, 'hello\n');
    expect(code).toBe(2);
    expect(events(stdout)).toEqual([
      { type: 'error', message: expect.stringContaining(`${file}: error FLOW_JSON_INVALID: ${file} line 7, column 5:`) },
    ]);
    check();
  });

  it('a flow with an unknown step type never starts: exit 1 (invalid, like validate), naming the step', async () => {
    const file = fixture('unknown-type.flow.json');
    const { code, stdout } = await flowbot(['chat', file, '--data-dir', join(tmp, 'unknown-type-data'), '--json'], 'hi\n');
    expect(code).toBe(1);
    expect(events(stdout)).toEqual([
      { type: 'error', message: expect.stringMatching(/NODE_UNKNOWN_TYPE \[step notify-shop/) },
    ]);
  });

  it('a server command that does not exist -> exit 1, "not found" naming the server', async () => {
    const cfg = write('no-command.workspace.json', JSON.stringify({ mcpServers: { slow: slowServer({ command: 'flowbot-no-such-command-4711', args: [] }) } }));
    const file = callFlow('no-command', 'slow', true);
    const check = untouched(cfg, file);
    const { code, stdout } = await chat(file, cfg, 'hello\n');
    expect(code).toBe(1);
    expect(events(stdout)).toEqual([{
      type: 'error',
      message: 'MCP server "slow": the command "flowbot-no-such-command-4711" was not found. Check mcpServers.slow.command.',
    }]);
    check();
  });

  it('a server that exits at start -> exit 1, the message carries its stderr', async () => {
    const cfg = write('dies.workspace.json', JSON.stringify({ mcpServers: { slow: slowServer({ args: [EXITS_AT_START] }) } }));
    const file = callFlow('dies', 'slow', true);
    const check = untouched(cfg, file);
    const { code, stdout } = await chat(file, cfg, 'hello\n');
    expect(code).toBe(1);
    const out = events(stdout);
    expect(out.map((e) => e.type)).toEqual(['error']);
    expect(out[0]!.message).toMatch(/^MCP server "slow": the server exited during start with exit code 3\./);
    expect(out[0]!.message).toContain('fatal: database unreachable');
    check();
  });

  it('a tool call that times out follows the error exit and the conversation ends normally (exit 0)', async () => {
    const file = callFlow('slow-with-error-exit', 'slow', true);
    const check = untouched(file, slowConfig);
    const started = Date.now();
    const { code, stdout } = await chat(file, slowConfig);
    expect(code).toBe(0);
    const out = events(stdout);
    const id = out[0]!.conversationId as string;
    conversations['slow-with-error-exit'] = id;
    expect(out).toEqual([
      { type: 'conversation_started', conversationId: id, flowId: 'slow-with-error-exit' },
      expect.objectContaining({
        type: 'tool_call', conversationId: id, nodeId: 'call', server: 'slow', tool: 'slow', status: 'error',
        reason: 'MCP server "slow": tool "slow" did not answer within 500 ms',
      }),
      { type: 'bot_message', conversationId: id, text: 'Sorry, our system did not answer.' },
      { type: 'end', conversationId: id, status: 'ended' },
    ]);
    expect(out[1]!.durationMs).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(15_000); // the 10-minute tool was really cut off
    check();
  });

  it('a tool call that times out without an error exit fails the conversation (exit 1)', async () => {
    const file = callFlow('slow-without-error-exit', 'slow', false);
    const check = untouched(file, slowConfig);
    const { code, stdout } = await chat(file, slowConfig);
    expect(code).toBe(1);
    const out = events(stdout);
    conversations['slow-without-error-exit'] = out[0]!.conversationId as string;
    expect(out.map((e) => e.type)).toEqual(['conversation_started', 'tool_call', 'bot_message', 'error', 'end']);
    expect(out[1]).toMatchObject({ status: 'error', reason: expect.stringContaining('did not answer within 500 ms') });
    expect(out.some((e) => e.type === 'bot_message' && e.text === 'Done.')).toBe(false);
    expect(out[3]!.message).toBe('the action at step "call" failed: MCP server "slow": tool "slow" did not answer within 500 ms');
    expect(out[4]).toMatchObject({ type: 'end', status: 'failed', reason: out[3]!.message });
    check();
  });

  it('a tool that answers isError -> tool_call error with the tool\'s own text', async () => {
    const file = callFlow('tool-rejects', 'fail', true);
    const check = untouched(file, slowConfig);
    const { code, stdout } = await chat(file, slowConfig);
    expect(code).toBe(0);
    const out = events(stdout);
    conversations['tool-rejects'] = out[0]!.conversationId as string;
    expect(out.find((e) => e.type === 'tool_call')).toMatchObject({
      nodeId: 'call', server: 'slow', tool: 'fail', status: 'error', reason: 'upstream rejected the request',
    });
    expect(out.filter((e) => e.type === 'bot_message').map((e) => e.text)).toEqual(['Sorry, our system did not answer.']);
    check();
  });

  it('the audit log holds exactly those failed calls, and its hash chain verifies', async () => {
    const list = await flowbot(['audit', 'list', '--data-dir', dataDir, '--json']);
    expect(list.code).toBe(0);
    const { records } = JSON.parse(list.stdout) as { records: Record<string, unknown>[] };
    expect(records.map((r) => [r.seq, r.conversationId, r.flowId, r.nodeId, r.server, r.tool, r.status])).toEqual([
      [1, conversations['slow-with-error-exit'], 'slow-with-error-exit', 'call', 'slow', 'slow', 'error'],
      [2, conversations['slow-without-error-exit'], 'slow-without-error-exit', 'call', 'slow', 'slow', 'error'],
      [3, conversations['tool-rejects'], 'tool-rejects', 'call', 'slow', 'fail', 'error'],
    ]);
    expect(records.map((r) => r.reason)).toEqual([
      'MCP server "slow": tool "slow" did not answer within 500 ms',
      'MCP server "slow": tool "slow" did not answer within 500 ms',
      'upstream rejected the request',
    ]);

    const verify = await flowbot(['audit', 'verify', '--data-dir', dataDir]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toBe("Audit log intact: 3 records, hash chain verified. All records are keyed with this computer's audit key.\n");
  });
});

describe('flowbot: wrong command lines -> exit 2 with a usage hint', () => {
  const HINT = 'Run "flowbot --help" for usage.\n';

  it('an unknown command', async () => {
    const { code, stdout, stderr } = await flowbot(['frobnicate', validFlow]);
    expect(code).toBe(2);
    expect(stderr).toBe(`flowbot: unknown command "frobnicate"\n${HINT}`);
    expect(stdout).toBe('');
  });

  it('an unknown option to validate, and the flow is left alone', async () => {
    const check = untouched(validFlow);
    const { code, stdout, stderr } = await flowbot(['validate', '--fix', validFlow]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^flowbot: Unknown option '--fix'/);
    expect(stderr.endsWith(HINT)).toBe(true);
    expect(stdout).toBe('');
    check();
  });

  it('an unknown option to chat: nothing starts, no data dir is created', async () => {
    const dataDir = join(tmp, 'never-created');
    const { code, stdout, stderr } = await flowbot(['chat', validFlow, '--data-dir', dataDir, '--verbose'], 'hello\n');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^flowbot: Unknown option '--verbose'/);
    expect(stderr.endsWith(HINT)).toBe(true);
    expect(stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a --data-dir that is a file, or a file that is not a database -> exit 2 naming the folder', async () => {
    const notAFolder = write('just-a-file.txt', 'hello');
    const check = untouched(notAFolder);
    const chat = await flowbot(['chat', validFlow, '--data-dir', notAFolder, '--json'], 'hi\n');
    expect(chat.code).toBe(2);
    expect(chat.stderr).toMatch(new RegExp(`^flowbot: Cannot use the data folder ${notAFolder}: EEXIST`));
    const notADb = join(tmp, 'not-a-db');
    mkdirSync(notADb);
    write('not-a-db/flowbot.db', 'garbage');
    const verify = await flowbot(['audit', 'verify', '--data-dir', notADb]);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toBe(`flowbot: Cannot use the data folder ${notADb}: file is not a database\n`);
    expect(readFileSync(join(notADb, 'flowbot.db'), 'utf8')).toBe('garbage');
    check();
  });

  it('audit on a folder without Flowbot data fails instead of reporting an empty, intact log', async () => {
    const typo = join(tmp, 'typo-dir');
    const { code, stderr } = await flowbot(['audit', 'verify', '--data-dir', typo]);
    expect(code).toBe(2);
    expect(stderr).toBe(`flowbot: There is no Flowbot data in ${typo} (no flowbot.db). Check --data-dir.\n`);
    expect(existsSync(typo)).toBe(false);
  });

  it('audit without verify/list', async () => {
    const { code, stderr } = await flowbot(['audit', 'check', '--data-dir', join(tmp, 'audit-never')]);
    expect(code).toBe(2);
    expect(stderr).toBe(`flowbot: audit needs "verify", "list" or "export", not "check"\n${HINT}`);
  });
});
