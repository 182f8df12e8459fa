// The example CRM server as a workspace config entry for tests: started with this Node, its
// data in the test's own folder, classified as the test says.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CRM_SERVER_SCRIPT = resolve('examples/crm-server/index.js');

/** The CRM keeps its data in `<dir>/crm`: granted to it (MCP servers run in the OS sandbox, where /tmp is private). */
export function crmServer(dir: string, tools: Record<string, 'read' | 'write'>) {
  const data = join(dir, 'crm');
  return { command: process.execPath, args: [CRM_SERVER_SCRIPT], env: { CRM_DATA_DIR: data }, tools, sandbox: { folders: [{ path: data, access: 'write' as const }] } };
}

/** Writes `<dir>/workspace.json` with a scripted Ollama model and the CRM server; returns its path. */
export function writeCrmWorkspace(dir: string, llmHost: string, tools: Record<string, 'read' | 'write'>): string {
  const path = join(dir, 'workspace.json');
  writeFileSync(path, JSON.stringify({ llm: { provider: 'ollama', host: llmHost, model: 'qwen3:4b' }, mcpServers: { crm: crmServer(dir, tools) } }));
  return path;
}
