// The folder a pasted config's relative paths are relative to. Pasted text has no folder, so a
// server that runs "node crm-server/index.js" is imported only once the owner names the folder
// (its paths are then made absolute, and it runs there), or refused with a plain explanation.
// Nothing is ever resolved against the studio's own working folder.
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ApiCallError } from '../../shared/api-contract';
import type { OwnerText } from '../../shared/owner-text';
import type { ImportedServer } from '../../core/mcp-import';
import { relativePathsOf, resolveRelativePaths } from '../../core/mcp-import-paths';

/** What the owner reads about the folder, with its catalogue keys (common:ownerTexts.importFolder.*). */
export const IMPORT_FOLDER_TEXTS = {
  needed: (paths: string) => ({
    message:
      `The pasted config names files by a relative path (${paths}), and pasted text does not say which folder they are in. ` +
      'Enter the folder they are relative to (usually the folder of the config file you copied it from), or write full paths in the text. Nothing was imported.',
    text: { key: 'importFolder.needed', params: { paths } },
  }),
  notAbsolute: (folder: string) => ({
    message: `The folder "${folder}" is not a full path: write it from the start, for example /home/me/my-servers or C:\\Users\\me\\my-servers.`,
    text: { key: 'importFolder.notAbsolute', params: { folder } },
  }),
  missing: (folder: string) => ({
    message: `The folder "${folder}" does not exist on this computer (or is not a folder).`,
    text: { key: 'importFolder.missing', params: { folder } },
  }),
} as const;

const refuse = (said: { message: string; text: OwnerText }) => new ApiCallError('INVALID_INPUT', said.message, said.text);

/** Each server's relative paths, as the preview lists them. */
export const relativePathsOfServers = (servers: ImportedServer[]) => new Map(servers.map((s) => [s.name, relativePathsOf(s.config)]));

/**
 * The servers with their relative paths resolved against `folder`. Without a folder they are
 * returned as they are for a preview (which lists the paths and asks), and refused for an import.
 */
export function placeImportedServers(servers: ImportedServer[], folder: string | undefined, purpose: 'preview' | 'import'): ImportedServer[] {
  if (folder !== undefined) {
    if (!isAbsolute(folder)) throw refuse(IMPORT_FOLDER_TEXTS.notAbsolute(folder));
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw refuse(IMPORT_FOLDER_TEXTS.missing(folder));
    return servers.map((s) => ({ ...s, config: resolveRelativePaths(s.config, folder) }));
  }
  if (purpose === 'import') {
    // Words of no language: the sentence around them is translated, the list is not.
    const relative = servers.flatMap((s) => relativePathsOf(s.config).map((p) => `"${p.value}" (${s.name})`));
    if (relative.length) throw refuse(IMPORT_FOLDER_TEXTS.needed(relative.join(', ')));
  }
  return servers;
}
