// flowbot chat FLOW [--config WS] [--data-dir DIR] [--json] [--conversation ID]
// Each stdin line is a customer message. The flow is checked (with the servers' live tool
// lists) before anything runs; a flow with errors never starts.
import { createInterface } from 'node:readline';
import type { ConversationState } from '../../shared/conversation';
import type { RunEvent } from '../../shared/run-event';
import { WorkspaceConfigSchema } from '../../shared/workspace-config';
import { hasErrors, validateFlow } from '../../core/validate';
import { loadConfig } from '../../app/load-config';
import { liveCatalog } from '../../app/live-catalog';
import { loadFlowFile } from '../../app/load-flow';
import { openWorkspace } from '../../app/workspace';
import { installShutdownHooks } from '../../app/shutdown';
import { EXIT, UsageError, botOf, botOption, dataDirOf, dataDirOption, sandboxOf, sandboxOption, parse, printJson } from '../usage';
import { formatProblem, isUnreadable } from './validate';

const FINISHED = new Set(['ended', 'handoff', 'failed']);

export async function chatCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    ...sandboxOption,
    ...botOption,
    config: { type: 'string' },
    json: { type: 'boolean' },
    conversation: { type: 'string' },
    'contact-name': { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('chat needs exactly one flow file');
  const file = positionals[0]!;
  const report = values.json ? printJson : printText;
  const config = values.config ? loadConfig(values.config) : WorkspaceConfigSchema.parse({});

  const loaded = loadFlowFile(file);
  if (!loaded.flow) {
    for (const p of loaded.problems) report({ type: 'error', message: `${file}: ${formatProblem(p)}` });
    return isUnreadable(loaded.problems) ? EXIT.badInput : EXIT.failed;
  }
  const flow = loaded.flow;

  const bot = botOf(values);
  const workspace = await openWorkspace({
    config,
    ...(bot ? { bot } : {}),
    ...(values.config ? { configPath: values.config } : {}),
    dataDir: dataDirOf(values),
    ...sandboxOf(values),
  });
  // SIGINT/SIGTERM/SIGHUP: stop the MCP servers gracefully, then exit 130/143/129.
  const removeShutdownHooks = installShutdownHooks([workspace]);
  try {
    const live = await liveCatalog(flow, Object.keys(config.mcpServers), workspace.mcp);
    if (live.problems.length > 0) {
      for (const { message } of live.problems) report({ type: 'error', message });
      return EXIT.failed;
    }
    const problems = validateFlow(flow, { config, catalog: live.catalog });
    if (hasErrors(problems)) {
      for (const p of problems.filter((x) => x.severity === 'error')) report({ type: 'error', message: `${file}: ${formatProblem(p)}` });
      return EXIT.failed;
    }

    const runner = workspace.runner(flow, file, { onEvent: report });
    const name = values['contact-name'];
    let state: ConversationState = values.conversation
      ? await runner.resume(values.conversation)
      : await runner.start({ id: 'cli', ...(typeof name === 'string' ? { name } : {}) });
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      if (FINISHED.has(state.status)) break;
      state = await runner.receive(state.conversationId, line);
    }
    return state.status === 'failed' ? EXIT.failed : EXIT.ok;
  } catch (error) {
    report({ type: 'error', message: (error as Error).message });
    return EXIT.failed;
  } finally {
    removeShutdownHooks();
    await workspace.close();
  }
}

function printText(event: RunEvent): void {
  switch (event.type) {
    case 'bot_message':
      return void process.stdout.write(`${event.text}\n`);
    case 'conversation_started':
      return void process.stderr.write(`[conversation ${event.conversationId}]\n`);
    case 'confirmation_requested':
      return void process.stderr.write(`[asking the customer to confirm ${event.server}.${event.tool}]\n`);
    case 'tool_call':
      return void process.stderr.write(`[${event.server}.${event.tool}: ${event.status}${event.reason ? ` — ${event.reason}` : ''}]\n`);
    case 'tool_call_proposed':
      return void process.stderr.write(`[the model asks for ${event.name}: ${event.disposition.replace('_', ' ')}]\n`);
    case 'end':
      return void process.stderr.write(`[conversation ${event.status}]\n`);
    case 'error':
      return void process.stderr.write(`error: ${event.message}\n`);
    default:
      // Other events (model requests, streamed text, …) are for --json and the simulator.
      return;
  }
}
