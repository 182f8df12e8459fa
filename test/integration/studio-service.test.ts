// The composition root's service through the dispatcher, on a temp data dir: settings stored
// with conf (and what happens when someone breaks the file), the catalogue hook.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../src-main/app/studio';

const TEMPLATES = join(import.meta.dirname, '../../flows');
let dataDir: string;
let studio: Studio;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'flowbot-studio-service-'));
  studio = createStudio({ dataDir, templatesDir: TEMPLATES, watchFiles: false, log: () => undefined });
});
afterEach(async () => {
  await studio.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Result = { ok: boolean; output?: any; error?: { code: string; message: string } };
const call = async (method: string, input: unknown = {}): Promise<Result> => studio.dispatcher.dispatch(method, input);

describe('settings', () => {
  it('starts empty, saves through conf as readable JSON, keeps other keys', async () => {
    expect(await call('settings.get')).toEqual({ ok: true, output: { config: { mcpServers: {} } } });
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ window: { width: 900 }, bots: { other: { workspace: { mcpServers: {} }, x: 1 } } }));
    const config = { llm: { provider: 'ollama', model: 'qwen3:4b' }, mcpServers: {} };
    expect(await call('settings.save', { config })).toMatchObject({ ok: true });
    const stored = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
    // The only stored bot is the active one (bots.* in settings-bots.test.ts).
    expect(stored).toEqual({ window: { width: 900 }, bots: { other: { workspace: config, x: 1 } } });
  });

  it('reports a settings file that is not JSON, and saving keeps the old file aside', async () => {
    writeFileSync(join(dataDir, 'settings.json'), '{ oops');
    const got = await call('settings.get');
    expect(got).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(`The settings file ${join(dataDir, 'settings.json')} cannot be read`) } });
    // Flows still validate (without the config) and list.
    expect(await call('flows.list')).toMatchObject({ ok: true });
    expect(await call('settings.save', { config: { mcpServers: {} } })).toMatchObject({ ok: true });
    expect(await call('settings.get')).toEqual({ ok: true, output: { config: { mcpServers: {} } } });
    const aside = readdirSync(dataDir).filter((n) => n.startsWith('settings.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0]!), 'utf8')).toBe('{ oops');
  });

  it('validates flows against the saved config: a configured read tool needs no confirmation', async () => {
    const created = await call('flows.create', { name: 'Status', templateId: 'order-status' });
    expect(created.ok && created.output.errorCount).toBeGreaterThan(0);
    const workspace = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/workspace.json'), 'utf8'));
    delete workspace.$schema;
    expect(await call('settings.save', { config: workspace })).toMatchObject({ ok: true });
    const doc = await call('flows.get', { id: 'status' });
    expect(doc.ok && doc.output.ok && doc.output.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  });
});

describe('mcp.catalog', () => {
  it('uses an injected provider and validates against its tools', async () => {
    await studio.close();
    studio = createStudio({
      dataDir,
      templatesDir: TEMPLATES,
      watchFiles: false,
      mcp: {
        catalog: async () => ({
          servers: [
            {
              name: 'crm',
              status: 'ok',
              tools: [{ name: 'get_order_status', inputSchema: { type: 'object' }, suggestedClass: 'read', effectiveClass: 'read', status: 'approved', definitionHash: 'h' }],
            },
          ],
        }),
        approveServer: async () => undefined,
        approveTools: async (_server, tools) => tools.map((t) => t.name),
      },
    });
    expect(await call('settings.save', { config: { mcpServers: { crm: { command: 'node', tools: { get_order_status: 'read' } } } } })).toMatchObject({ ok: true });
    const catalog = await call('mcp.catalog');
    expect(catalog).toMatchObject({ ok: true, output: { servers: [{ name: 'crm', status: 'ok', tools: [{ name: 'get_order_status' }] }] } });
    const result = await call('flows.validate', {
      flow: {
        schemaVersion: 1,
        id: 'v',
        name: 'V',
        nodes: [
          { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
          { id: 't', type: 'tool', position: { x: 0, y: 100 }, data: { server: 'crm', tool: 'no_such_tool', args: {} } },
        ],
        edges: [{ id: 'e', source: 'start', target: 't' }],
      },
    });
    expect(result.ok && result.output.problems.map((p: { nodeId?: string; code: string }) => p.nodeId === 't' && p.code)).toContain('TOOL_UNKNOWN_TOOL');
  });
});
