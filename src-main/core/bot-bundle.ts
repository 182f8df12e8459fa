// Writing and reading bot bundles (shared/bot-bundle.ts), pure. Reading refuses, naming the
// field, anything this version cannot use faithfully: another format or version, a checksum
// that does not match (the file was edited or damaged after export), a field of the wrong
// kind, a flow or test case that does not parse, a reference to a flow or server the bundle
// lacks. The checksum catches changes, not forgery: whoever edits the file can recompute it,
// which is why the importer shows the owner what the bundle runs and asks for consent again.
import { createHash } from 'node:crypto';
import { BotBundleSchema, BUNDLE_FORMAT, BUNDLE_VERSION, type BotBundle, type BundleSecret } from '../shared/bot-bundle';
import type { Flow } from '../shared/flow';
import type { TestCase } from '../shared/test-case';
import type { WorkspaceConfig } from '../shared/workspace-config';
import { canonicalJson } from './canonical-json';
import { locateJsonError } from './json-position';
import { parseFlowValue } from './parse-flow';
import { secretRefsOf } from './secret-refs';
import { parseTestCaseValue } from './test-cases/parse';
import { describeIssue, flattenUnionIssues, formatPath } from './zod-issues';

/** What is wrong with a bundle: the field (e.g. `flows[1].nodes[3].data.text`) and why. */
export interface BundleProblem {
  field?: string;
  message: string;
}

/** A bundle that passed every check, its flows and test cases parsed. */
export interface ReadBundle {
  bundle: BotBundle;
  flows: Flow[];
  testCases: TestCase[];
}

export type BundleReadResult = { ok: true; value: ReadBundle } | { ok: false; problems: BundleProblem[] };

/** The bundle's content before sealing: format, version and checksum are added by sealBundle. */
export type BundleContent = Omit<BotBundle, 'format' | 'version' | 'checksum'>;

const MAX_PROBLEMS = 20;

/** sha256 (hex) of the canonical JSON of the bundle without its checksum. */
export function bundleChecksum(value: Record<string, unknown>): string {
  const { checksum: _ignored, ...rest } = value;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The bundle file's text: pretty JSON, the checksum over the rest. */
export function sealBundle(content: BundleContent): string {
  const unsealed = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, ...content };
  return `${JSON.stringify({ ...unsealed, checksum: bundleChecksum(unsealed) }, null, 2)}\n`;
}

/** The secrets a config references, by name (the scope each is kept under, the field using it). */
export const secretsNeeded = (config: WorkspaceConfig): BundleSecret[] => secretRefsOf(config).map(({ scope, name, field }) => ({ scope, name, field }));

export function readBundle(text: string, source = 'the bundle'): BundleReadResult {
  const fail = (problems: BundleProblem[]): BundleReadResult => ({ ok: false, problems: problems.slice(0, MAX_PROBLEMS) });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const at = locateJsonError(body, error);
    return fail([{ message: `${source} is not JSON (line ${at.line}, column ${at.column}: ${at.reason}); it may be damaged: export the bot again.` }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail([{ message: `${source} is not a Flowbot bot bundle (expected a JSON object).` }]);
  const record = value as Record<string, unknown>;
  if (record.format !== BUNDLE_FORMAT) {
    return fail([{ field: 'format', message: `format: ${source} is not a Flowbot bot bundle (format must be "${BUNDLE_FORMAT}").` }]);
  }
  if (record.version !== BUNDLE_VERSION) {
    const newer = typeof record.version === 'number' && record.version > BUNDLE_VERSION;
    return fail([
      {
        field: 'version',
        message: `version: ${source} is bundle version ${JSON.stringify(record.version)}; this Flowbot reads version ${BUNDLE_VERSION} only${newer ? ': update Flowbot on this machine' : ''}.`,
      },
    ]);
  }
  const parsed = BotBundleSchema.safeParse(value);
  if (!parsed.success) {
    return fail(
      flattenUnionIssues(parsed.error.issues).map((issue) => {
        const field = formatPath(issue.path);
        return { field, message: `${field || '(top level)'}: ${describeIssue(issue, value)}` };
      }),
    );
  }
  if (bundleChecksum(record) !== parsed.data.checksum) {
    return fail([{ field: 'checksum', message: `checksum: ${source} was changed or damaged after it was exported (its content does not match its checksum); export the bot again.` }]);
  }
  const bundle = parsed.data;
  const problems: BundleProblem[] = [];
  const flows: Flow[] = [];
  bundle.flows.forEach((entry, index) => {
    const result = parseFlowValue(entry, `flows[${index}]`);
    if (!result.flow) {
      for (const p of result.problems) {
        const step = p.nodeId !== undefined ? ` (step "${p.nodeId}")` : '';
        problems.push({ field: `flows[${index}]${p.field ? `.${p.field}` : ''}`, message: `flows[${index}]${step}: ${p.message}` });
      }
      return;
    }
    if (flows.some((f) => f.id === result.flow!.id)) problems.push({ field: `flows[${index}].id`, message: `flows[${index}].id: the flow id "${result.flow.id}" appears twice.` });
    else flows.push(result.flow);
  });
  const flowIds = new Set(flows.map((f) => f.id));
  const testCases: TestCase[] = [];
  bundle.testCases.forEach((entry, index) => {
    const result = parseTestCaseValue(entry, `testCases[${index}]`);
    if (!result.ok) {
      for (const p of result.problems) problems.push({ field: `testCases[${index}]${p.field ? `.${p.field}` : ''}`, message: p.message });
      return;
    }
    if (!flowIds.has(result.testCase.flowId)) {
      problems.push({ field: `testCases[${index}].flowId`, message: `testCases[${index}].flowId: the bundle has no flow "${result.testCase.flowId}".` });
    } else testCases.push(result.testCase);
  });
  const waFlow = bundle.channels.whatsapp?.flowId;
  if (typeof waFlow === 'string' && !flowIds.has(waFlow)) {
    problems.push({ field: 'channels.whatsapp.flowId', message: `channels.whatsapp.flowId: the bundle has no flow "${waFlow}".` });
  }
  for (const server of Object.keys(bundle.toolPins)) {
    if (!Object.hasOwn(bundle.workspace.mcpServers, server)) {
      problems.push({ field: `toolPins.${server}`, message: `toolPins.${server}: the bundle's settings have no MCP server "${server}".` });
    }
  }
  return problems.length ? fail(problems) : { ok: true, value: { bundle, flows, testCases } };
}

/** One sentence for an error message: the first problems, then how many more. */
export function describeBundleProblems(problems: readonly BundleProblem[], shown = 5): string {
  const listed = problems.slice(0, shown).map((p) => p.message);
  const more = problems.length - listed.length;
  return `${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}
