// Reads a workspace config file. Every problem names the file and the field.
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../shared/workspace-config';
import { locateJsonError } from '../core/json-position';
import { issueLines } from '../core/zod-issues';
import { InputError, readInputFile } from './input-error';

export function loadConfig(path: string): WorkspaceConfig {
  const text = readInputFile(path, 'config file');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text, error);
    throw new InputError(`The config file ${path} is not valid JSON: line ${at.line}, column ${at.column}: ${at.reason}`);
  }
  const parsed = WorkspaceConfigSchema.safeParse(value);
  if (!parsed.success) {
    const details = issueLines(parsed.error.issues, value).map((line) => `  ${line}`).join('\n');
    throw new InputError(`The config file ${path} has problems:\n${details}`);
  }
  return parsed.data;
}
