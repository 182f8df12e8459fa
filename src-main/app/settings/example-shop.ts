// "Add the example shop": the CRM server bundled with the app (examples/crm-server), as a
// server of the active bot, so a newcomer can try tools without writing a server. It runs
// from the app's own files (an absolute path under the app's install location), with the
// runtime that runs the studio (Node in the web host; Electron's own Node in the desktop app,
// so no Node install is needed), its tools classified as in examples/workspace.json, and its
// data in the bot's data folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiCallError } from '../../shared/api-contract';
import { ToolClassSchema, type StdioServerConfig, type ToolClass } from '../../shared/workspace-config';

/** The name the template flows use for the CRM's tools. */
export const EXAMPLE_SHOP_SERVER = 'crm';

export interface ExampleShopSource {
  /** The app's examples/ folder (the repo's in development; inside the installed app when packaged). */
  examplesDir: string;
  /** The app's data folder: the shop's data goes to `<dataDir>/bots/<bot>/example-shop`. */
  dataDir: string;
}

export const EXAMPLE_SHOP_TEXTS = {
  notShipped: (file: string) => `The example shop is not part of this installation (${file} is missing).`,
  clash: `This bot already has an MCP server named "${EXAMPLE_SHOP_SERVER}". Remove or rename it first, then add the example shop.`,
} as const;

export const exampleShopDataDir = (dataDir: string, bot: string) => join(dataDir, 'bots', bot, 'example-shop');

/** The server config of the example shop for `bot`; CONFLICT when the app does not ship it. */
export function exampleShopServer(source: ExampleShopSource, bot: string): StdioServerConfig {
  const script = join(source.examplesDir, 'crm-server', 'index.js');
  const classes = join(source.examplesDir, 'workspace.json');
  for (const file of [script, classes]) if (!existsSync(file)) throw new ApiCallError('CONFLICT', EXAMPLE_SHOP_TEXTS.notShipped(file));
  // Electron's binary runs the script as plain Node with ELECTRON_RUN_AS_NODE (electron-builder.yml keeps that fuse on).
  const runtimeEnv: Record<string, string> = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  return {
    command: process.execPath,
    args: [script],
    env: { CRM_DATA_DIR: exampleShopDataDir(source.dataDir, bot), ...runtimeEnv },
    // Its sandbox hides the data folder; its own data folder is granted back (shown to the owner).
    sandbox: { folders: [{ path: exampleShopDataDir(source.dataDir, bot), access: 'write' }] },
    tools: toolClassesOf(classes),
  };
}

/** The read/write classes of examples/workspace.json's CRM server: one source for the CLI example and this button. */
function toolClassesOf(file: string): Record<string, ToolClass> {
  const config = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers?: Record<string, { tools?: unknown }> };
  const tools = config.mcpServers?.[EXAMPLE_SHOP_SERVER]?.tools;
  const parsed = ToolClassSchema.array().safeParse(Object.values(tools ?? {}));
  if (!tools || typeof tools !== 'object' || !parsed.success) throw new ApiCallError('CONFLICT', EXAMPLE_SHOP_TEXTS.notShipped(`${file}: mcpServers.crm.tools`));
  return tools as Record<string, ToolClass>;
}
