// Reads a workspace config file. Every problem names the file and the field.
import { readFileSync } from 'node:fs';
import { WorkspaceConfigSchema, type ConfigValue, type WorkspaceConfig } from '../shared/workspace-config';
import { locateJsonError } from '../core/json-position';
import { describeIssue, flattenUnionIssues, formatPath } from '../core/zod-issues';
import type { ValueRef } from '../runtime/ports';
import { InputError } from './input-error';

export function loadConfig(path: string): WorkspaceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text, error);
    throw new InputError(`The config file ${path} is not valid JSON: line ${at.line}, column ${at.column}: ${at.reason}`);
  }
  const parsed = WorkspaceConfigSchema.safeParse(value);
  if (!parsed.success) {
    const details = flattenUnionIssues(parsed.error.issues)
      .map((i) => `  ${formatPath(i.path) || '(top level)'}: ${describeIssue(i, value)}`)
      .join('\n');
    throw new InputError(`The config file ${path} has problems:\n${details}`);
  }
  return parsed.data;
}

/**
 * Resolves a config value. Keychain secrets come with the keychain adapter; until then a
 * {secret} reference fails clearly instead of running with an empty value.
 */
export async function resolvePlainValue(value: ConfigValue, ref: ValueRef, env = process.env): Promise<string> {
  const where = ref.field;
  if (typeof value === 'string') return value;
  if ('env' in value) {
    const found = env[value.env];
    if (found === undefined) throw new InputError(`${where} reads the environment variable ${value.env}, which is not set`);
    return found;
  }
  throw new InputError(
    `${where} refers to the keychain secret "${value.secret}", but this build cannot read the OS keychain yet. ` +
      'Use a plain value or {"env": "NAME"} for now.',
  );
}
