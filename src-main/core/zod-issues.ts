// zod issues in plain words, with readable paths: `edges[2].target: expected text`.
import type { z } from 'zod';

type Path = readonly PropertyKey[];

/** `["edges", 2, "target"]` -> `edges[2].target`; odd keys in brackets: `assign["my var"]`. */
export function formatPath(path: Path, prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

const KIND_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object ({ ... })',
  record: 'an object ({ ... })',
  null: 'null',
};

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/** What is wrong, without the subject: "missing", "expected text", "must be at most 50". */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const absent = ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code) && valueAt(input, issue.path) === undefined;
  if (absent) return 'missing';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${KIND_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of: ${list(issue.values)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown }).options;
      if (Array.isArray(options) && options.length > 0) return `must be one of: ${list(options)}`;
      return 'has a value of the wrong kind';
    }
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `needs at least ${issue.minimum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${issue.minimum} item(s)`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `can have at most ${issue.maximum} item(s)`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_format':
      return issue.message && !issue.message.startsWith('Invalid') ? `not valid: ${issue.message}` : 'has the wrong format';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_key': {
      const inner = issue.issues[0];
      const why = inner ? describeIssue(inner, undefined) : 'not allowed';
      return `the name is ${why.startsWith('not valid') ? why : `not valid (${why})`}`;
    }
    default:
      return issue.message;
  }
}

/** The value at a path inside already-parsed JSON, or undefined. */
export function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Replaces each union failure by the issues of its closest branch (the one with the fewest
 * issues), with full paths, so "mcpServers.crm: wrong kind" becomes "mcpServers.crm.command: expected text".
 */
export function flattenUnionIssues(issues: readonly z.core.$ZodIssue[], prefix: Path = []): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    const branches = issue.code === 'invalid_union' ? issue.errors : [];
    if (branches.length === 0) return [{ ...issue, path } as z.core.$ZodIssue];
    const closest = branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
    return flattenUnionIssues(closest, path);
  });
}

/** Each issue as "path: what is wrong", union failures resolved to their closest branch. */
export function issueLines(issues: readonly z.core.$ZodIssue[], value: unknown, root = ''): string[] {
  return flattenUnionIssues(issues).map((issue) => `${formatPath(issue.path, root) || '(top level)'}: ${describeIssue(issue, value)}`);
}

/** The first `max` issues on one line: `input.flow.nodes[2].data.question: expected text; …`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], value: unknown, root = '', max = 5): string {
  const lines = issueLines(issues, value, root);
  const more = lines.length - max;
  return lines.slice(0, max).join('; ') + (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '');
}
