// The tests.* API methods: a flow's conversation test cases as files next to it in the flows
// folder, run in the studio's own workspace (its MCP servers and model, approvals in "ask" mode).
import { relative } from 'node:path';
import { ApiCallError } from '../shared/api-contract';
import type { TestCase, TestCaseResult } from '../shared/test-case';
import { TEST_CASE_SCHEMA_VERSION } from '../shared/test-case';
import { testCaseFromRun } from '../core/test-cases/from-run';
import type { ApiHandlers } from '../api/dispatcher';
import type { FlowFile, FlowRepository } from '../adapters/flow-files/flow-repository';
import { CaseFileError, createCaseRepository, type CaseFile } from '../adapters/test-case-files/test-case-files';
import type { EventHub } from './event-hub';
import { runTestCase } from './run-test-case';
import type { Workspace } from './workspace';

type TestsHandlers = Pick<ApiHandlers, 'tests.list' | 'tests.save' | 'tests.run' | 'tests.delete'>;

export interface StudioTestsDeps {
  flows: FlowRepository;
  /** The studio's workspace (StudioMcp.workspace); absent where no MCP side exists: tests.run refuses. */
  workspace?: () => Promise<Workspace>;
  events: EventHub;
  /** Per case (default: the runner's). */
  timeoutMs?: number;
}

export function createStudioTests(deps: StudioTestsDeps): TestsHandlers {
  const cases = createCaseRepository({ flowsDir: deps.flows.dir });
  const changed = (flowId: string) => deps.events.emit({ event: 'tests.changed', payload: { flowId } });
  const shown = (file: string) => relative(deps.flows.dir, file);

  const existingFlow = async (flowId: string): Promise<FlowFile> => {
    const entry = await deps.flows.read(flowId);
    if (entry === undefined) throw new ApiCallError('NOT_FOUND', `There is no flow "${flowId}".`);
    return entry;
  };
  const find = (all: CaseFile[], name: string) => all.find((c) => c.id === name) ?? all.find((c) => c.kind === 'case' && c.testCase.name === name);

  const handlers: TestsHandlers = {
    'tests.list': async ({ flowId }) => {
      await existingFlow(flowId);
      const all = await cases.list(flowId);
      return {
        cases: all.flatMap((c) => (c.kind === 'case' ? [{ id: c.id, name: c.testCase.name, file: shown(c.file), testCase: c.testCase }] : [])),
        broken: all.flatMap((c) => (c.kind === 'broken' ? [{ id: c.id, file: shown(c.file), problems: c.problems }] : [])),
      };
    },

    'tests.save': async ({ flowId, name, case: given, run, looseToolValues, overwrite }) => {
      await existingFlow(flowId);
      let testCase: TestCase;
      if (given) {
        testCase = { ...given, schemaVersion: TEST_CASE_SCHEMA_VERSION, name, flowId };
      } else if (run) {
        try {
          testCase = testCaseFromRun({ flowId, name, ...run, ...(looseToolValues ? { toolValues: 'pattern' as const } : {}) });
        } catch (error) {
          throw new ApiCallError('INVALID_INPUT', `tests.save: ${(error as Error).message}`);
        }
      } else {
        throw new ApiCallError('INVALID_INPUT', 'tests.save: give either "case" or "run"');
      }
      const saved = await cases.save(flowId, testCase, { overwrite: overwrite === true });
      changed(flowId);
      return { id: saved.id, file: shown(saved.file), testCase };
    },

    'tests.run': async ({ flowId, names, live }) => {
      const flowEntry = await existingFlow(flowId);
      const all = await cases.list(flowId);
      let selected = all;
      if (names) {
        selected = names.map((name) => {
          const found = find(all, name);
          if (!found) throw new ApiCallError('NOT_FOUND', `The flow "${flowId}" has no test case "${name}".`);
          return found;
        });
      }
      if (!deps.workspace) throw new ApiCallError('CONFLICT', 'Test cases cannot run here: there are no MCP servers or model to run them with.');
      const needsWorkspace = flowEntry.kind === 'flow' && selected.some((c) => c.kind === 'case');
      const workspace = needsWorkspace ? await deps.workspace().catch((error: unknown) => {
        throw new ApiCallError('CONFLICT', `The bot's settings cannot be used to run the cases: ${(error as Error).message}`);
      }) : undefined;
      const results: TestCaseResult[] = [];
      for (const entry of selected) {
        const base = { flowId, file: shown(entry.file), passed: false, results: [], diff: '', durationMs: 0 };
        if (entry.kind === 'broken') {
          results.push({ ...base, name: entry.id, error: `The case file cannot be read: ${entry.problems.map((p) => p.message).join('; ')}` });
        } else if (flowEntry.kind === 'broken') {
          results.push({ ...base, name: entry.testCase.name, error: `The flow file is not a valid flow: ${flowEntry.problems[0]?.message ?? 'it does not parse'}` });
        } else {
          const { result } = await runTestCase({
            workspace: workspace!,
            flow: flowEntry.flow,
            flowSource: flowEntry.file,
            testCase: entry.testCase,
            file: shown(entry.file),
            live: live === true,
            ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
          });
          results.push(result);
        }
      }
      const passedCount = results.filter((r) => r.passed).length;
      return { results, passed: passedCount, failed: results.length - passedCount };
    },

    'tests.delete': async ({ flowId, name }) => {
      await existingFlow(flowId);
      const found = find(await cases.list(flowId), name);
      if (!found) throw new ApiCallError('NOT_FOUND', `The flow "${flowId}" has no test case "${name}".`);
      await cases.delete(flowId, found.id);
      changed(flowId);
      return { deleted: true as const };
    },
  };
  return withCaseErrors(handlers);
}

/** Refusals of the case files become the contract's codes. */
function withCaseErrors(handlers: TestsHandlers): TestsHandlers {
  const wrap =
    <I, O>(handler: (input: I) => Promise<O> | O) =>
    async (input: I): Promise<O> => {
      try {
        return await handler(input);
      } catch (error) {
        if (error instanceof CaseFileError) throw new ApiCallError(error.reason === 'not-found' ? 'NOT_FOUND' : error.reason === 'conflict' ? 'CONFLICT' : 'INVALID_INPUT', error.message);
        throw error;
      }
    };
  return {
    'tests.list': wrap(handlers['tests.list']),
    'tests.save': wrap(handlers['tests.save']),
    'tests.run': wrap(handlers['tests.run']),
    'tests.delete': wrap(handlers['tests.delete']),
  };
}
