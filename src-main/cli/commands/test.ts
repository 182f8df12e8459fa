// flowbot test DIR_OR_FILE... [--config WS] [--data-dir DIR] [--bot NAME] [--json] [--timeout S] [--live]
//   Replays saved conversation test cases and ends with exactly "N passed, N failed".
//   Writes are dry runs (confirmed, guarded, recorded, never sent) unless --live.
//   Exit 0 all passed, 1 any failed, 2 unreadable input (a case file, a flow file, no cases).
// flowbot test --record FLOW --name NAME [--config WS] [--loose-tool-values] [--overwrite] < messages
//   Runs one conversation (each stdin line a customer message) and saves it as a case next to the flow.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { TestCase, TestCaseResult } from '../../shared/test-case';
import { WorkspaceConfigSchema } from '../../shared/workspace-config';
import type { Flow } from '../../shared/flow';
import { testCaseFromRun } from '../../core/test-cases/from-run';
import { caseSlug } from '../../core/test-cases/slug';
import { CaseFileError, createCaseRepository, casesDirOf, findCaseFiles, locateFlowFile, readCaseFile } from '../../adapters/test-case-files/test-case-files';
import { InputError } from '../../app/input-error';
import { loadConfig } from '../../app/load-config';
import { loadFlowFile } from '../../app/load-flow';
import { checkFlow, replayConversation, runTestCase } from '../../app/run-test-case';
import { installShutdownHooks } from '../../app/shutdown';
import { openWorkspace, type Workspace } from '../../app/workspace';
import { databaseOption, storageOf } from '../storage-option';
import { EXIT, UsageError, botOf, botOption, dataDirOf, dataDirOption, sandboxOf, sandboxOption, parse, printJson } from '../usage';
import { formatProblem, isUnreadable } from './validate';

const options = {
  ...dataDirOption,
  ...databaseOption,
  ...sandboxOption,
  ...botOption,
  config: { type: 'string' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  record: { type: 'string' },
  name: { type: 'string' },
  'loose-tool-values': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  live: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parse<typeof options>>['values'];

export async function testCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, options);
  if (values.live && values.record !== undefined) throw new UsageError('--live is for replaying cases; --record always runs the tools for real');
  if (values.record !== undefined) {
    if (positionals.length > 0) throw new UsageError('test --record takes the flow file after --record and no other files');
    return recordCommand(values.record, values);
  }
  if (positionals.length === 0) throw new UsageError('test needs a folder or a test case file (*.test.json)');
  const timeoutMs = timeoutOf(values);
  const config = values.config ? loadConfig(values.config) : WorkspaceConfigSchema.parse({});
  const json = values.json === true;
  const say = (line: string) => {
    if (!json) process.stdout.write(`${line}\n`);
  };

  const unreadable: { file: string; message: string }[] = [];
  const results: TestCaseResult[] = [];
  const caseFiles: string[] = [];
  for (const path of positionals) {
    try {
      const found = await findCaseFiles(path);
      if (found.length === 0) unreadable.push({ file: path, message: `${path}: no test case files (*.test.json) in this folder` });
      caseFiles.push(...found);
    } catch (error) {
      unreadable.push({ file: path, message: `Cannot read ${path}: ${(error as Error).message}` });
    }
  }
  const reportUnreadable = (file: string, message: string) => {
    unreadable.push({ file, message });
    say(`ERROR ${message}`);
  };
  for (const u of unreadable) say(`ERROR ${u.message}`);
  if (values.live) process.stderr.write('flowbot: --live: write tools the cases confirm are sent to their servers for real.\n');

  let workspace: Workspace | undefined;
  let removeHooks = () => undefined as void;
  const flows = new Map<string, { flow?: Flow; error?: string; unreadable?: string }>();
  try {
    for (const file of caseFiles) {
      const shown = shownPath(file);
      const entry = await readCaseFile(file, shown);
      if (entry.kind === 'broken') {
        for (const p of entry.problems) reportUnreadable(shown, p.message);
        continue;
      }
      const located = await locateFlowFile(shown, entry.testCase.flowId);
      if (!located.ok) {
        reportUnreadable(shown, located.error);
        continue;
      }
      const loaded = flows.get(located.file) ?? loadFlow(located.file);
      flows.set(located.file, loaded);
      if (loaded.unreadable) {
        reportUnreadable(shown, loaded.unreadable);
        continue;
      }
      let result: TestCaseResult;
      if (!loaded.flow) {
        result = { name: entry.testCase.name, flowId: entry.testCase.flowId, file: shown, passed: false, error: loaded.error ?? 'the flow cannot be loaded', results: [], diff: '', durationMs: 0 };
      } else {
        if (!workspace) {
          workspace = await openCliWorkspace(values, config);
          removeHooks = installShutdownHooks([workspace]);
        }
        ({ result } = await runTestCase({ workspace, flow: loaded.flow, flowSource: located.file, testCase: entry.testCase, file: shown, live: values.live === true, ...(timeoutMs ? { timeoutMs } : {}) }));
      }
      results.push(result);
      if (!json) printResult(result);
    }
  } finally {
    removeHooks();
    await workspace?.close();
  }

  const passedCount = results.filter((r) => r.passed).length;
  // A file with several problems is one failed case.
  const failedCount = results.length - passedCount + new Set(unreadable.map((u) => u.file)).size;
  const summary = `${passedCount} passed, ${failedCount} failed`;
  if (json) {
    printJson({ cases: results, errors: unreadable, passed: passedCount, failed: failedCount });
    process.stderr.write(`${summary}\n`);
  } else {
    process.stdout.write(`${summary}\n`);
  }
  if (unreadable.length > 0) return EXIT.badInput;
  return failedCount > 0 ? EXIT.failed : EXIT.ok;
}

/** Relative to the working folder when it is inside it, else as given. */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function loadFlow(file: string): { flow?: Flow; error?: string; unreadable?: string } {
  try {
    const loaded = loadFlowFile(file);
    if (loaded.flow) return { flow: loaded.flow };
    const listed = loaded.problems.slice(0, 3).map((p) => formatProblem(p)).join('; ');
    if (isUnreadable(loaded.problems)) return { unreadable: `The flow file ${file} cannot be read: ${listed}` };
    return { error: `The flow file ${file} is not a valid flow: ${listed}` };
  } catch (error) {
    if (error instanceof InputError) return { unreadable: error.message };
    throw error;
  }
}

function printResult(result: TestCaseResult): void {
  const where = result.file ? `  (${result.file})` : '';
  if (result.passed) {
    process.stdout.write(`PASS  ${result.name}${where}\n`);
    return;
  }
  process.stdout.write(`FAIL  ${result.name}${where}\n`);
  if (result.error) process.stdout.write(`    ${result.error}\n`);
  if (result.diff) process.stdout.write(`${indent(result.diff, '    ')}\n`);
}

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

function timeoutOf(values: Values): number | undefined {
  if (values.timeout === undefined) return undefined;
  const seconds = Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes seconds (a positive number), not "${values.timeout}"`);
  return seconds * 1000;
}

async function openCliWorkspace(values: Values, config: ReturnType<typeof loadConfig>): Promise<Workspace> {
  const bot = botOf(values);
  const storage = await storageOf(values, 'flowbot test');
  try {
    const workspace = await openWorkspace({ config, ...(bot ? { bot } : {}), ...(values.config ? { configPath: values.config } : {}), dataDir: dataDirOf(values), storage, ...sandboxOf(values) });
    return { ...workspace, close: () => workspace.close().finally(() => storage.close()) };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/** The recorded conversation becomes `<flow dir>/<flow-id>.tests/<slug of NAME>.test.json`. */
async function recordCommand(flowFile: string, values: Values): Promise<number> {
  const name = values.name?.trim();
  if (!name) throw new UsageError('test --record needs --name NAME (the case file is named after it)');
  const timeoutMs = timeoutOf(values);
  const config = values.config ? loadConfig(values.config) : WorkspaceConfigSchema.parse({});
  const loaded = loadFlowFile(flowFile);
  if (!loaded.flow) {
    for (const p of loaded.problems) process.stderr.write(`${flowFile}: ${formatProblem(p)}\n`);
    return isUnreadable(loaded.problems) ? EXIT.badInput : EXIT.failed;
  }
  const flow = loaded.flow;
  const flowsDir = dirname(flowFile);
  const target = join(casesDirOf(flowsDir, flow.id), `${caseSlug(name)}.test.json`);
  // Refused before anything runs: recording calls the flow's tools for real.
  if (existsSync(target) && !values.overwrite) {
    process.stderr.write(`flowbot: ${target} exists already; choose another --name or pass --overwrite to replace it.\n`);
    return EXIT.badInput;
  }

  const messages: string[] = [];
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) messages.push(line);

  const workspace = await openCliWorkspace(values, config);
  const removeHooks = installShutdownHooks([workspace]);
  try {
    const notReady = await checkFlow(workspace, flow);
    if (notReady) {
      process.stderr.write(`flowbot: ${notReady.message}\n`);
      return EXIT.failed;
    }
    const replay = await replayConversation({ workspace, flow, flowSource: flowFile, messages, ...(timeoutMs ? { timeoutMs } : {}) });
    if (replay.error) {
      process.stderr.write(`flowbot: ${replay.error}\n`);
      return EXIT.failed;
    }
    const recorded = testCaseFromRun({ flowId: flow.id, name, ...replay.run, ...(values['loose-tool-values'] ? { toolValues: 'pattern' as const } : {}) });
    // Editors find the schema when the flows folder has it (the repo's flows/ does).
    const withSchema: TestCase = existsSync(join(flowsDir, 'test-case.schema.json')) ? { $schema: '../test-case.schema.json', ...recorded } : recorded;
    let saved;
    try {
      saved = await createCaseRepository({ flowsDir }).save(flow.id, withSchema, { overwrite: values.overwrite === true });
    } catch (error) {
      if (!(error instanceof CaseFileError)) throw error;
      process.stderr.write(`flowbot: ${error.message}\n`);
      return EXIT.badInput;
    }
    const replies = [withSchema.opening, ...withSchema.turns].reduce((n, t) => n + (t?.replies?.length ?? 0), 0);
    const calls = [withSchema.opening, ...withSchema.turns].reduce((n, t) => n + (t?.toolCalls?.length ?? 0), 0);
    const summary = `${withSchema.turns.length} customer message(s), ${replies} bot replies, ${calls} tool call(s); end status: ${withSchema.end?.status ?? 'not checked'}`;
    if (values.json) printJson({ file: saved.file, id: saved.id, testCase: withSchema });
    else process.stdout.write(`Saved ${shownPath(saved.file)}: ${summary}\n`);
    return EXIT.ok;
  } finally {
    removeHooks();
    await workspace.close();
  }
}
