// Flows as readable files: `<dir>/<id>.flow.json`, pretty JSON people can keep in git.
// - Writes are atomic (a temp file in the same folder, fsync, rename), so a crash never leaves
//   half a flow behind.
// - A file that does not parse as a flow is "broken": listed with its problems and never
//   overwritten, whatever the caller asks.
// - Delete moves the file to the trash folder; the returned token moves it back.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Flow } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { parseFlowText } from '../../core/parse-flow';
import { idCandidates, isFlowId } from './flow-ids';

export const FLOW_FILE_SUFFIX = '.flow.json';
/** Larger files are not read (a flow of thousands of steps is a few MB). */
export const MAX_FLOW_FILE_BYTES = 20 * 1024 * 1024;

export type FlowFile =
  | { kind: 'flow'; id: string; file: string; updatedAt: number; flow: Flow; text: string }
  | { kind: 'broken'; id?: string; file: string; updatedAt: number; problems: Problem[]; text: string };

export type FlowFileErrorReason = 'not-found' | 'conflict';

/** An expected refusal, with a message for people. */
export class FlowFileError extends Error {
  override readonly name = 'FlowFileError';
  constructor(
    readonly reason: FlowFileErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface FlowRepository {
  readonly dir: string;
  readonly trashDir: string;
  fileOf(id: string): string;
  /** Every `*.flow.json` in the folder, sorted by id. */
  list(): Promise<FlowFile[]>;
  read(id: string): Promise<FlowFile | undefined>;
  /**
   * Overwrites the existing valid flow `flow.id`. Refused when there is no such file
   * (not-found), when the file on disk is broken, or when it changed since `expectedUpdatedAt`
   * (conflict).
   */
  save(flow: Flow, options?: { expectedUpdatedAt?: number }): Promise<{ updatedAt: number }>;
  /**
   * Writes a new flow under the first free id of `baseId`, `baseId-2`, ... (never replacing
   * a file, even one created at the same moment); the flow's `id` is set to it.
   */
  createUnique(flow: Flow, baseId: string): Promise<Extract<FlowFile, { kind: 'flow' }>>;
  /** Moves the file (valid or broken) to the trash and returns the token that restores it. */
  trash(id: string): Promise<string>;
  /** Moves a trashed file back under its id, or under a new id when that is taken meanwhile. */
  restore(token: string): Promise<FlowFile>;
}

export interface FlowRepositoryOptions {
  dir: string;
  trashDir: string;
}

const TOKEN_PATTERN = /^[0-9a-z]{1,12}-[0-9a-f]{16}$/;
const TRASH_SEPARATOR = '--';

export function createFlowRepository(options: FlowRepositoryOptions): FlowRepository {
  const { dir, trashDir } = options;
  const fileOf = (id: string): string => {
    if (!isFlowId(id)) throw new FlowFileError('not-found', `"${id}" is not a flow id`);
    return join(dir, `${id}${FLOW_FILE_SUFFIX}`);
  };

  async function readFlowFile(file: string, id: string | undefined): Promise<FlowFile | undefined> {
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
      return unreadable(file, id, 0, error);
    }
    if (!info.isFile()) return undefined;
    const updatedAt = info.mtimeMs;
    if (info.size > MAX_FLOW_FILE_BYTES) {
      return broken(file, id, updatedAt, '', {
        code: 'FLOW_FILE_TOO_LARGE',
        message: `${basename(file)} is ${Math.round(info.size / 1024 / 1024)} MB; flow files larger than ${MAX_FLOW_FILE_BYTES / 1024 / 1024} MB are not opened.`,
      });
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      return unreadable(file, id, updatedAt, error);
    }
    const name = basename(file);
    if (id === undefined) {
      return broken(file, undefined, updatedAt, text, {
        code: 'FLOW_FILE_NAME_INVALID',
        message: `The file name "${name}" is not a flow id. Rename it to lowercase letters, digits and dashes ending in ${FLOW_FILE_SUFFIX}, e.g. "my-flow${FLOW_FILE_SUFFIX}".`,
      });
    }
    const parsed = parseFlowText(text, name);
    if (!parsed.flow) return { kind: 'broken', id, file, updatedAt, problems: parsed.problems, text };
    if (parsed.flow.id !== id) {
      return broken(file, id, updatedAt, text, {
        code: 'FLOW_ID_MISMATCH',
        field: 'id',
        message: `${name} holds the flow id "${parsed.flow.id}", but its file name says "${id}". Make them the same: rename the file or change "id" in it.`,
      });
    }
    return { kind: 'flow', id, file, updatedAt, flow: parsed.flow, text };
  }

  async function existing(id: string): Promise<FlowFile | undefined> {
    return readFlowFile(fileOf(id), id);
  }

  const repository: FlowRepository = {
    dir,
    trashDir,
    fileOf,

    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if (isCode(error, 'ENOENT')) return [];
        throw error;
      }
      const idOf = (name: string): string => name.slice(0, -FLOW_FILE_SUFFIX.length);
      const files = names
        .filter((name) => name.endsWith(FLOW_FILE_SUFFIX) && !name.startsWith('.'))
        .sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
      const loaded = await Promise.all(
        files.map((name) => {
          const id = idOf(name);
          return readFlowFile(join(dir, name), isFlowId(id) ? id : undefined);
        }),
      );
      return loaded.filter((entry): entry is FlowFile => entry !== undefined);
    },

    async read(id) {
      if (!isFlowId(id)) return undefined;
      return existing(id);
    },

    async save(flow, saveOptions = {}) {
      const current = await existing(flow.id);
      if (current === undefined) {
        throw new FlowFileError('not-found', `There is no flow "${flow.id}" to save (it may have been deleted). Create or import it first.`);
      }
      if (current.kind === 'broken') {
        const first = current.problems[0]?.message ?? 'it is not a valid flow';
        throw new FlowFileError(
          'conflict',
          `${basename(current.file)} on disk is not a valid flow (${first}), so it is not overwritten. Fix or delete the file first.`,
        );
      }
      if (saveOptions.expectedUpdatedAt !== undefined && saveOptions.expectedUpdatedAt !== current.updatedAt) {
        throw new FlowFileError(
          'conflict',
          `${basename(current.file)} was changed on disk after it was opened here. Reload it before saving, or your changes would replace the other ones.`,
        );
      }
      await writeAtomic(current.file, serialize(flow), 'replace');
      return { updatedAt: (await stat(current.file)).mtimeMs };
    },

    async createUnique(flow, baseId) {
      await mkdir(dir, { recursive: true });
      let tries = 0;
      for (const id of idCandidates(baseId)) {
        if (++tries > 10_000) break;
        const file = fileOf(id);
        const withId: Flow = { ...flow, id };
        try {
          await writeAtomic(file, serialize(withId), 'exclusive');
        } catch (error) {
          if (isCode(error, 'EEXIST')) continue;
          throw error;
        }
        const created = await readFlowFile(file, id);
        if (created?.kind !== 'flow') throw new Error(`${file} could not be read back after writing it`);
        return created;
      }
      throw new FlowFileError('conflict', `No free id for "${baseId}" in ${dir}.`);
    },

    async trash(id) {
      const file = fileOf(id);
      const current = await readFlowFile(file, id);
      if (current === undefined) throw new FlowFileError('not-found', `There is no flow "${id}".`);
      await mkdir(trashDir, { recursive: true });
      const token = `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
      await move(file, join(trashDir, `${token}${TRASH_SEPARATOR}${id}${FLOW_FILE_SUFFIX}`), 'replace');
      return token;
    },

    async restore(token) {
      const trashed = TOKEN_PATTERN.test(token) ? await findTrashed(trashDir, token) : undefined;
      if (trashed === undefined) {
        throw new FlowFileError('not-found', 'Nothing to restore for this token: the flow was already restored or the trash was emptied.');
      }
      const { file: trashedFile, id } = trashed;
      await mkdir(dir, { recursive: true });
      try {
        await move(trashedFile, fileOf(id), 'exclusive');
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
        // The id was taken meanwhile: a valid flow comes back under a new id; a broken file
        // cannot be given one (its id is inside the text we must not rewrite).
        const entry = await readFlowFile(trashedFile, id);
        if (entry?.kind !== 'flow') {
          throw new FlowFileError(
            'conflict',
            `A flow "${id}" exists again, and the deleted file is not a valid flow that could take another id. It stays in ${trashDir}.`,
          );
        }
        const restored = await repository.createUnique(entry.flow, id);
        await unlink(trashedFile);
        return restored;
      }
      const restored = await existing(id);
      if (restored === undefined) throw new Error(`${fileOf(id)} vanished right after it was restored`);
      return restored;
    },
  };
  return repository;
}

/** Pretty JSON with a final newline: readable in diffs and editors. */
export function serialize(flow: Flow): string {
  return `${JSON.stringify(flow, null, 2)}\n`;
}

function broken(file: string, id: string | undefined, updatedAt: number, text: string, problem: Omit<Problem, 'severity'>): FlowFile {
  return { kind: 'broken', ...(id !== undefined ? { id } : {}), file, updatedAt, text, problems: [{ severity: 'error', ...problem }] };
}

function unreadable(file: string, id: string | undefined, updatedAt: number, error: unknown): FlowFile {
  return broken(file, id, updatedAt, '', {
    code: 'FLOW_FILE_UNREADABLE',
    message: `${basename(file)} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
  });
}

async function findTrashed(trashDir: string, token: string): Promise<{ file: string; id: string } | undefined> {
  let names: string[];
  try {
    names = await readdir(trashDir);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const prefix = `${token}${TRASH_SEPARATOR}`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(FLOW_FILE_SUFFIX)) continue;
    const id = name.slice(prefix.length, -FLOW_FILE_SUFFIX.length);
    if (isFlowId(id)) return { file: join(trashDir, name), id };
  }
  return undefined;
}

/**
 * Writes `text` to `file` through a temp file in the same folder. 'replace' renames over the
 * target; 'exclusive' fails with EEXIST when the target exists (a hard link cannot replace).
 */
export async function writeAtomic(file: string, text: string, mode: 'replace' | 'exclusive'): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await move(temp, file, mode);
  } finally {
    await rm(temp, { force: true });
  }
}

/** rename(2), exclusively when asked; falls back to copy + unlink across file systems. */
async function move(from: string, to: string, mode: 'replace' | 'exclusive'): Promise<void> {
  if (mode === 'exclusive') {
    try {
      await link(from, to);
    } catch (error) {
      if (isCode(error, 'EEXIST')) throw error;
      if (!isCode(error, 'EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EACCES')) throw error;
      // No hard links here (some file systems): copy without replacing.
      await copyFile(from, to, constants.COPYFILE_EXCL);
    }
    await unlink(from);
    return;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      if (isCode(error, 'EXDEV')) {
        await copyFile(from, to);
        await unlink(from);
        return;
      }
      // Windows refuses a rename while another program (a virus scanner, an editor) has the
      // target open; it is usually over within moments.
      if (attempt < 5 && process.platform === 'win32' && isCode(error, 'EPERM', 'EACCES', 'EBUSY')) {
        await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
        continue;
      }
      throw error;
    }
  }
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes(String((error as { code?: unknown }).code));
}
