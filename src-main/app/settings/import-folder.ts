// The folder a pasted config's relative paths are relative to. Pasted text has no folder, so a
// server that runs "node crm-server/index.js" is imported only once the owner names the folder
// (its paths are then made absolute, and it runs there), or refused with a plain explanation.
// Nothing is ever resolved against the studio's own working folder.
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ApiCallError } from '../../shared/api-contract';
import type { ImportedServer } from '../../core/mcp-import';
import { relativePathsOf, resolveRelativePaths } from '../../core/mcp-import-paths';

/** What the owner reads about the folder (one place, for the language catalogues to come). */
export const IMPORT_FOLDER_TEXTS = {
  needed: (paths: string) =>
    `The pasted config names files by a relative path (${paths}), and pasted text does not say which folder they are in. ` +
    'Enter the folder they are relative to (usually the folder of the config file you copied it from), or write full paths in the text. Nothing was imported.',
  notAbsolute: (folder: string) => `The folder "${folder}" is not a full path: write it from the start, for example /home/me/my-servers or C:\\Users\\me\\my-servers.`,
  missing: (folder: string) => `The folder "${folder}" does not exist on this computer (or is not a folder).`,
} as const;

/** Each server's relative paths, as the preview lists them. */
export const relativePathsOfServers = (servers: ImportedServer[]) => new Map(servers.map((s) => [s.name, relativePathsOf(s.config)]));

/**
 * The servers with their relative paths resolved against `folder`. Without a folder they are
 * returned as they are for a preview (which lists the paths and asks), and refused for an import.
 */
export function placeImportedServers(servers: ImportedServer[], folder: string | undefined, purpose: 'preview' | 'import'): ImportedServer[] {
  if (folder !== undefined) {
    if (!isAbsolute(folder)) throw new ApiCallError('INVALID_INPUT', IMPORT_FOLDER_TEXTS.notAbsolute(folder));
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new ApiCallError('INVALID_INPUT', IMPORT_FOLDER_TEXTS.missing(folder));
    return servers.map((s) => ({ ...s, config: resolveRelativePaths(s.config, folder) }));
  }
  if (purpose === 'import') {
    const relative = servers.flatMap((s) => relativePathsOf(s.config).map((p) => `"${p.value}" of "${s.name}"`));
    if (relative.length) throw new ApiCallError('INVALID_INPUT', IMPORT_FOLDER_TEXTS.needed(relative.join(', ')));
  }
  return servers;
}
