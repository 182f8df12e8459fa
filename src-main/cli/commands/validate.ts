// flowbot validate FLOW... [--config WS] [--live [--data-dir DIR] [--bot ID]] [--json]
// Without --live the check reads files only (no server, secret or data folder). With --live the
// servers the flows use are started (the config file is the owner's approval, as for `chat`) and
// each tool step is checked against what its server offers now: the tool, its approval, and the
// arguments its input schema requires.
import type { Flow } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { validateFlow, type ValidateOptions } from '../../core/validate';
import { loadConfig } from '../../app/load-config';
import { liveCatalog } from '../../app/live-catalog';
import { loadFlowFile } from '../../app/load-flow';
import { InputError } from '../../app/input-error';
import { openWorkspace, type Workspace } from '../../app/workspace';
import { installShutdownHooks } from '../../app/shutdown';
import { EXIT, UsageError, botOf, botOption, dataDirOf, dataDirOption, sandboxOf, sandboxOption, parse, printJson } from '../usage';

/** Problems that mean the file could not be read as a flow at all (exit 2, not 1). */
const UNREADABLE = new Set(['FILE_UNREADABLE', 'FLOW_JSON_INVALID']);
export const isUnreadable = (problems: Problem[]): boolean => problems.some((p) => UNREADABLE.has(p.code));

interface FlowReport {
  file: string;
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    ...sandboxOption,
    ...botOption,
    config: { type: 'string' },
    json: { type: 'boolean' },
    live: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('validate needs at least one flow file');
  if (values.live && !values.config) throw new UsageError('validate --live needs --config (the servers to start)');
  const config = values.config ? loadConfig(values.config) : undefined;

  let workspace: Workspace | undefined;
  let removeShutdownHooks = () => {};
  if (values.live && config) {
    const bot = botOf(values);
    workspace = await openWorkspace({ config, ...(bot ? { bot } : {}), configPath: values.config!, dataDir: dataDirOf(values), ...sandboxOf(values) });
    removeShutdownHooks = installShutdownHooks([workspace]);
  }
  try {
    const reports: FlowReport[] = [];
    for (const file of positionals) {
      let problems: Problem[];
      try {
        const loaded = loadFlowFile(file);
        problems = loaded.flow ? [...loaded.problems, ...(await check(loaded.flow, config ? { config } : {}, workspace))] : loaded.problems;
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems = [{ code: 'FILE_UNREADABLE', severity: 'error', message: error.message }];
      }
      const english = problems.map(inEnglish);
      const errors = english.filter((p) => p.severity === 'error');
      reports.push({ file, valid: errors.length === 0, errors, warnings: english.filter((p) => p.severity === 'warning') });
    }

    if (values.json) printJson({ flows: reports });
    else for (const report of reports) printReport(report);

    if (reports.some((r) => isUnreadable(r.errors))) return EXIT.badInput;
    return reports.every((r) => r.valid) ? EXIT.ok : EXIT.failed;
  } finally {
    removeShutdownHooks();
    await workspace?.close();
  }
}

/** The flow's problems; with a workspace, against its servers' live tool lists as well. */
async function check(flow: Flow, options: ValidateOptions, workspace: Workspace | undefined): Promise<Problem[]> {
  if (!workspace) return validateFlow(flow, options);
  const live = await liveCatalog(flow, Object.keys(workspace.config.mcpServers), workspace.mcp);
  const unavailable = live.problems.map(({ message }): Problem => ({ code: 'TOOL_SERVER_UNAVAILABLE', severity: 'error', message }));
  return [...unavailable, ...validateFlow(flow, { ...options, catalog: live.catalog })];
}

function printReport(report: FlowReport): void {
  const counts = [plural(report.errors.length, 'error'), plural(report.warnings.length, 'warning')].filter(Boolean);
  console.log(`${report.file}: ${report.valid ? 'valid' : 'INVALID'}${counts.length ? ` (${counts.join(', ')})` : ''}`);
  for (const p of [...report.errors, ...report.warnings]) console.log(`  ${formatProblem(p)}`);
}

export function formatProblem(p: Problem): string {
  const where = [p.nodeId && `step ${p.nodeId}`, p.edgeId && `connection ${p.edgeId}`, p.field].filter(Boolean).join(', ');
  return `${p.severity} ${p.code}${where ? ` [${where}]` : ''}: ${p.message}`;
}

const plural = (n: number, word: string) => (n === 0 ? '' : `${n} ${word}${n === 1 ? '' : 's'}`);

/** The CLI speaks English: the message, without the key and parameters the studio translates from. */
function inEnglish({ text: _text, ...problem }: Problem): Problem {
  return problem;
}
