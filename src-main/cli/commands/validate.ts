// flowbot validate FLOW... [--config WS] [--json]
import type { Problem } from '../../shared/problem';
import { validateFlow } from '../../core/validate';
import { loadConfig } from '../../app/load-config';
import { loadFlowFile } from '../../app/load-flow';
import { InputError } from '../../app/input-error';
import { EXIT, UsageError, parse, printJson } from '../usage';

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
  const { values, positionals } = parse(argv, { config: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length === 0) throw new UsageError('validate needs at least one flow file');
  const config = values.config ? loadConfig(values.config) : undefined;

  const reports = positionals.map((file): FlowReport => {
    let problems: Problem[];
    try {
      const loaded = loadFlowFile(file);
      problems = loaded.flow ? [...loaded.problems, ...validateFlow(loaded.flow, config ? { config } : {})] : loaded.problems;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems = [{ code: 'FILE_UNREADABLE', severity: 'error', message: error.message }];
    }
    const errors = problems.filter((p) => p.severity === 'error');
    return { file, valid: errors.length === 0, errors, warnings: problems.filter((p) => p.severity === 'warning') };
  });

  if (values.json) printJson({ flows: reports });
  else for (const report of reports) printReport(report);

  if (reports.some((r) => isUnreadable(r.errors))) return EXIT.badInput;
  return reports.every((r) => r.valid) ? EXIT.ok : EXIT.failed;
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
