// Test case files next to their flow: `<flows dir>/<flow-id>.tests/<case-slug>.test.json`.
// - A case's flow is `<flow-id>.flow.json` in the folder that holds the `.tests` folder (or, for a
//   case kept elsewhere, in the case's own folder).
// - Saving never replaces a file unless asked to (overwrite), and writes atomically.
// - A file that does not parse is listed with its problems (file + field) and never rewritten.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { TEST_CASE_FILE_SUFFIX, TEST_CASES_DIR_SUFFIX, type TestCase } from '../../shared/test-case';
import { parseTestCaseText, serializeTestCase, type TestCaseProblem } from '../../core/test-cases/parse';
import { CASE_SLUG_PATTERN, caseSlug } from '../../core/test-cases/slug';
import { FLOW_FILE_SUFFIX, writeAtomic } from '../flow-files/flow-repository';

/** Larger case files are not read. */
export const MAX_CASE_FILE_BYTES = 5 * 1024 * 1024;

export type CaseFile =
  | { kind: 'case'; id: string; file: string; testCase: TestCase }
  | { kind: 'broken'; id: string; file: string; problems: TestCaseProblem[] };

/** `<dir>/<flowId>.tests` */
export const casesDirOf = (flowsDir: string, flowId: string): string => join(flowsDir, `${flowId}${TEST_CASES_DIR_SUFFIX}`);

/** Reads and parses one case file; problems name the file as `shownAs` (default: its path). */
export async function readCaseFile(file: string, shownAs = file): Promise<CaseFile> {
  const id = basename(file).slice(0, -TEST_CASE_FILE_SUFFIX.length);
  let text: string;
  try {
    const info = await stat(file);
    if (info.size > MAX_CASE_FILE_BYTES) {
      return { kind: 'broken', id, file, problems: [{ message: `${shownAs} is larger than ${MAX_CASE_FILE_BYTES / 1024 / 1024} MB and is not read` }] };
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { kind: 'broken', id, file, problems: [{ message: `${shownAs} cannot be read: ${(error as Error).message}` }] };
  }
  const parsed = parseTestCaseText(text, shownAs);
  return parsed.ok ? { kind: 'case', id, file, testCase: parsed.testCase } : { kind: 'broken', id, file, problems: parsed.problems };
}

/** Where the flow of a case is, or why it is not there. */
export async function locateFlowFile(caseFile: string, flowId: string): Promise<{ ok: true; file: string } | { ok: false; error: string }> {
  const folder = dirname(caseFile);
  const folderName = basename(folder);
  const inTestsFolder = folderName.endsWith(TEST_CASES_DIR_SUFFIX);
  if (inTestsFolder && folderName !== `${flowId}${TEST_CASES_DIR_SUFFIX}`) {
    return {
      ok: false,
      error: `${caseFile} is in the folder ${folderName} but is a case for the flow "${flowId}"; move it to ${flowId}${TEST_CASES_DIR_SUFFIX}/ or change its "flowId".`,
    };
  }
  const file = join(inTestsFolder ? dirname(folder) : folder, `${flowId}${FLOW_FILE_SUFFIX}`);
  try {
    if ((await stat(file)).isFile()) return { ok: true, file };
  } catch {
    // reported below
  }
  return {
    ok: false,
    error: `Cannot find the flow "${flowId}" for ${caseFile}: there is no ${file}. A case lives in <flow-id>${TEST_CASES_DIR_SUFFIX}/ next to <flow-id>${FLOW_FILE_SUFFIX}.`,
  };
}

/** A case file, or every `*.test.json` under a folder (sorted; dot folders and node_modules skipped). */
export async function findCaseFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 20) return;
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if (entry.isFile() && entry.name.endsWith(TEST_CASE_FILE_SUFFIX)) found.push(full);
    }
  };
  await walk(path, 0);
  return found;
}

/** An expected refusal with a message for people. */
export class CaseFileError extends Error {
  override readonly name = 'CaseFileError';
  constructor(
    readonly reason: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export interface CaseRepository {
  list(flowId: string): Promise<CaseFile[]>;
  /** Writes `<slug of name>.test.json`; refuses (conflict) to replace a file unless `overwrite`. */
  save(flowId: string, testCase: TestCase, options?: { overwrite?: boolean }): Promise<{ id: string; file: string }>;
  delete(flowId: string, id: string): Promise<void>;
}

export function createCaseRepository(options: { flowsDir: string }): CaseRepository {
  const dirOf = (flowId: string) => casesDirOf(options.flowsDir, flowId);
  const shown = (file: string) => relative(options.flowsDir, file);
  const fileOf = (flowId: string, id: string) => {
    if (!CASE_SLUG_PATTERN.test(id)) throw new CaseFileError('not-found', `"${id}" is not a test case id`);
    return join(dirOf(flowId), `${id}${TEST_CASE_FILE_SUFFIX}`);
  };
  return {
    async list(flowId) {
      let names: string[];
      try {
        names = await readdir(dirOf(flowId));
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return [];
        throw error;
      }
      const files = names.filter((n) => n.endsWith(TEST_CASE_FILE_SUFFIX) && !n.startsWith('.')).sort();
      return Promise.all(files.map((name) => readCaseFile(join(dirOf(flowId), name), shown(join(dirOf(flowId), name)))));
    },

    async save(flowId, testCase, saveOptions = {}) {
      const id = caseSlug(testCase.name);
      const file = fileOf(flowId, id);
      await mkdir(dirOf(flowId), { recursive: true });
      try {
        await writeAtomic(file, serializeTestCase(testCase), saveOptions.overwrite ? 'replace' : 'exclusive');
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
        throw new CaseFileError('conflict', `There is already a test case "${id}" for this flow (${shown(file)}). Choose another name, or replace it.`);
      }
      return { id, file };
    },

    async delete(flowId, id) {
      const file = fileOf(flowId, id);
      try {
        await stat(file);
      } catch {
        throw new CaseFileError('not-found', `There is no test case "${id}" for the flow "${flowId}".`);
      }
      await rm(file);
    },
  };
}
