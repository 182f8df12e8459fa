// Reads a flow file from disk. Parsing never casts: the file either parses into a Flow or
// yields problems naming the file, node and field.
import type { Flow } from '../shared/flow';
import type { Problem } from '../shared/problem';
import { parseFlowText } from '../core/parse-flow';
import { readInputFile } from './input-error';

export interface LoadedFlow {
  file: string;
  flow?: Flow;
  problems: Problem[];
}

export function loadFlowFile(file: string): LoadedFlow {
  const text = readInputFile(file, 'flow file');
  return { file, ...parseFlowText(text, file) };
}
