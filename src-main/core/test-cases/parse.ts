// Reading a test case file: JSON -> TestCaseSchema. Every problem names the file and the field
// ("support-ticket.tests/yes.test.json: turns[2].replies[0]: needs one of "text" …"); never a cast.
import { TEST_CASE_SCHEMA_VERSION, TestCaseSchema, type TestCase } from '../../shared/test-case';
import { locateJsonError } from '../json-position';
import { describeIssue, flattenUnionIssues, formatPath } from '../zod-issues';

export interface TestCaseProblem {
  /** Where in the file, e.g. `turns[2].replies[0].regex`; absent for the whole file. */
  field?: string;
  /** Starts with the file name. */
  message: string;
}

export type ParsedTestCase = { ok: true; testCase: TestCase } | { ok: false; problems: TestCaseProblem[] };

const MAX_PROBLEMS = 20;

export function parseTestCaseText(text: string, source: string): ParsedTestCase {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const at = locateJsonError(body, error);
    return { ok: false, problems: [{ message: `${source} line ${at.line}, column ${at.column}: ${at.reason}` }] };
  }
  return parseTestCaseValue(value, source);
}

export function parseTestCaseValue(value: unknown, source: string): ParsedTestCase {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: [{ message: `${source} is not a test case: expected an object with schemaVersion, name, flowId and turns` }] };
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version !== TEST_CASE_SCHEMA_VERSION) {
    return {
      ok: false,
      problems: [
        {
          field: 'schemaVersion',
          message: `${source}: schemaVersion: this is test case format version ${version}; this version of Flowbot Studio reads version ${TEST_CASE_SCHEMA_VERSION}`,
        },
      ],
    };
  }
  const parsed = TestCaseSchema.safeParse(value);
  if (parsed.success) return { ok: true, testCase: parsed.data };
  const problems = flattenUnionIssues(parsed.error.issues)
    .slice(0, MAX_PROBLEMS)
    .map((issue) => {
      const field = formatPath(issue.path);
      return { ...(field ? { field } : {}), message: `${source}: ${field || '(top level)'}: ${describeIssue(issue, value)}` };
    });
  return { ok: false, problems };
}

/** A case as people keep it in git: pretty JSON with a final newline. */
export function serializeTestCase(testCase: TestCase): string {
  return `${JSON.stringify(testCase, null, 2)}\n`;
}
