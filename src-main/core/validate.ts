// Flow validation: every rule a flow must pass before it runs, as Problems a business
// owner can act on. The write guard (DESIGN §4) lives in validate/tools.ts.
import type { Flow } from '../shared/flow';
import type { Problem } from '../shared/problem';
import { parseFlowText } from './parse-flow';
import { contentProblems } from './validate/content';
import { cycleProblems } from './validate/cycles';
import { labelProblems } from './validate/labels';
import { languageProblems } from './validate/language';
import { modelProblems } from './validate/model';
import { buildGraph, type ValidateOptions } from './validate/graph';
import { structureProblems } from './validate/structure';
import { toolProblems } from './validate/tools';
import { translationProblems } from './validate/translations';
import { variableProblems } from './validate/variables';

export type { ValidateOptions } from './validate/graph';

export function validateFlow(flow: Flow, options: ValidateOptions = {}): Problem[] {
  const graph = buildGraph(flow);
  return errorsFirst([
    ...structureProblems(graph),
    ...languageProblems(flow),
    ...contentProblems(flow.nodes),
    ...toolProblems(graph, options),
    ...labelProblems(flow.nodes, options),
    ...modelProblems(flow, options),
    ...variableProblems(graph),
    ...cycleProblems(graph),
    ...translationProblems(flow),
  ]);
}

/** Parse and validate a flow file's text. When it does not parse, only the parse problems. */
export function validateFlowText(text: string, source: string, options: ValidateOptions = {}): { flow?: Flow; problems: Problem[] } {
  const parsed = parseFlowText(text, source);
  if (!parsed.flow) return { problems: errorsFirst(parsed.problems) };
  return { flow: parsed.flow, problems: errorsFirst([...parsed.problems, ...validateFlow(parsed.flow, options)]) };
}

export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');

/** Errors before warnings; otherwise the order in which the rules found them. */
export function errorsFirst(problems: Problem[]): Problem[] {
  return [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity !== 'error')];
}
