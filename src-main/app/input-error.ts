import { readFileSync } from 'node:fs';

/** Input the user gave us that cannot be used (missing file, broken JSON, bad config). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Reads a file the user named; `what` says which kind ("config file") in the error. */
export function readInputFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}
