// A studio (the app's service, as the web host and Electron build it) on a fresh data folder,
// driven through its dispatcher exactly as a transport would, with the events it emits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createStudio, type Studio, type StudioOptions } from '../../src-main/app/studio';
import type { StudioEvent } from '../../src-main/app/event-hub';
import type { ApiError } from '../../src-main/shared/api-contract';

export type Result = { ok: boolean; output?: any; error?: ApiError };

export interface TestStudio {
  studio: Studio;
  dataDir: string;
  root: string;
  call(method: string, input?: unknown): Promise<Result>;
  /** The output of a call that must succeed (throws with the error message otherwise). */
  ok(method: string, input?: unknown): Promise<any>;
  events: StudioEvent[];
  close(): Promise<void>;
}

export function openTestStudio(options: Partial<StudioOptions> = {}): TestStudio {
  const root = mkdtempSync(join(tmpdir(), 'flowbot-settings-'));
  const dataDir = options.dataDir ?? join(root, 'data');
  const studio = createStudio({ dataDir, templatesDir: resolve('flows'), watchFiles: false, log: () => undefined, ...options });
  const events: StudioEvent[] = [];
  studio.service.on((event) => events.push(event));
  const call = (method: string, input: unknown = {}) => studio.dispatcher.dispatch(method, input) as Promise<Result>;
  return {
    studio,
    dataDir,
    root,
    call,
    async ok(method, input = {}) {
      const result = await call(method, input);
      if (!result.ok) throw new Error(`${method} failed: ${result.error?.code} ${result.error?.message}`);
      return result.output;
    },
    events,
    async close() {
      await studio.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The `mcp.approveTools` input for tools as the catalogue shows them now: each name with the
 * definition hash the owner reviewed (the app's server card sends the same).
 */
export async function reviewedTools(ok: (method: string, input?: unknown) => Promise<any>, server: string, names: string[]): Promise<{ server: string; tools: { name: string; definitionHash: string }[] }> {
  const entry = (await ok('mcp.catalog')).servers.find((s: { name: string }) => s.name === server);
  const tools = names.map((name) => {
    const tool = entry?.tools.find((x: { name: string }) => x.name === name);
    if (!tool) throw new Error(`the catalogue shows no tool "${name}" on "${server}"`);
    return { name, definitionHash: tool.definitionHash as string };
  });
  return { server, tools };
}
