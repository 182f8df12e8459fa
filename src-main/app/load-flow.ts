// Reads a flow file from disk. Parsing never casts: the file either parses into a Flow or
// yields problems naming the file, node and field.
import { readFileSync } from 'node:fs';
import type { Flow } from '../shared/flow';
import type { Problem } from '../shared/problem';
import { parseFlowText } from '../core/parse-flow';
import { InputError } from './input-error';

export interface LoadedFlow {
  file: string;
  flow?: Flow;
  problems: Problem[];
}

export function loadFlowFile(file: string): LoadedFlow {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the flow file ${file}: ${(error as Error).message}`);
  }
  return { file, ...parseFlowText(text, file) };
}
