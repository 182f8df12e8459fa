// Reading bot bundles (core/bot-bundle.ts): what a bundle must hold to be imported, and the
// secrets it names (every kind of { "secret" } reference, never a value).
import { describe, expect, it } from 'vitest';
import { bundleChecksum, readBundle, sealBundle, secretsNeeded, type BundleContent } from '../../src-main/core/bot-bundle';
import { WorkspaceConfigSchema } from '../../src-main/shared/workspace-config';

const flow = { schemaVersion: 1, id: 'faq', name: 'FAQ', nodes: [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }], edges: [] };
const content = (change: Partial<BundleContent> = {}): BundleContent => ({
  exportedAt: '2026-12-02T00:00:00.000Z',
  bot: { id: 'shop', name: 'Shop' },
  workspace: WorkspaceConfigSchema.parse({}),
  channels: {},
  flows: [flow],
  testCases: [],
  toolPins: {},
  secrets: [],
  ...change,
});
/** A bundle edited after sealing, its checksum made to match (so the field check speaks). */
const resealed = (value: Record<string, unknown>) => JSON.stringify({ ...value, checksum: bundleChecksum(value) });

describe('reading a bundle', () => {
  it('reads what it wrote', () => {
    const read = readBundle(sealBundle(content()));
    expect(read.ok && read.value.flows.map((f) => f.id)).toEqual(['faq']);
  });

  it('refuses references to what the bundle lacks, naming the field', () => {
    const base = JSON.parse(sealBundle(content())) as Record<string, unknown>;
    const orphanCase = readBundle(resealed({ ...base, testCases: [{ schemaVersion: 1, name: 'x', flowId: 'gone', turns: [] }] }));
    expect(!orphanCase.ok && orphanCase.problems).toEqual([{ field: 'testCases[0].flowId', message: 'testCases[0].flowId: the bundle has no flow "gone".' }]);
    const orphanPins = readBundle(resealed({ ...base, toolPins: { crm: [{ tool: 'get', definitionHash: 'a'.repeat(64) }] } }));
    expect(!orphanPins.ok && orphanPins.problems[0]?.field).toBe('toolPins.crm');
    const twice = readBundle(resealed({ ...base, flows: [flow, flow] }));
    expect(!twice.ok && twice.problems[0]?.field).toBe('flows[1].id');
    const wa = readBundle(resealed({ ...base, channels: { whatsapp: { flowId: 'gone' } } }));
    expect(!wa.ok && wa.problems[0]?.field).toBe('channels.whatsapp.flowId');
  });

  it('refuses another file or format, and an unknown field', () => {
    expect(readBundle('{"format":"something-else"}')).toMatchObject({ ok: false, problems: [{ field: 'format' }] });
    expect(readBundle('[]')).toMatchObject({ ok: false });
    const base = JSON.parse(sealBundle(content())) as Record<string, unknown>;
    expect(readBundle(resealed({ ...base, secretValues: { CRM: 'x' } }))).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('secretValues') }] });
  });
});

describe('the secrets a bundle names', () => {
  it('lists every { "secret" } reference with the field using it: model, env, headers, client secrets and private keys', () => {
    const config = WorkspaceConfigSchema.parse({
      llm: { provider: 'openai', model: 'm', apiKey: { secret: 'OPENAI' } },
      mcpServers: {
        crm: { command: 'node', env: { TOKEN: { secret: 'CRM_TOKEN' }, PLAIN: 'x', FROM_ENV: { env: 'HOME' } } },
        remote: { url: 'https://mcp.example.com/', headers: { Authorization: { secret: 'REMOTE_KEY' } }, signIn: { clientId: 'c', clientSecret: { secret: 'SIGN_IN' } } },
        jwt: { url: 'https://jwt.example.com/', auth: { type: 'oauth2', clientId: 'c', privateKey: { secret: 'PEM' } } },
      },
    });
    expect(secretsNeeded(config)).toEqual([
      { scope: 'llm', name: 'OPENAI', field: 'llm.apiKey' },
      { scope: 'crm', name: 'CRM_TOKEN', field: 'mcpServers.crm.env.TOKEN' },
      { scope: 'remote', name: 'REMOTE_KEY', field: 'mcpServers.remote.headers.Authorization' },
      { scope: 'remote', name: 'SIGN_IN', field: 'mcpServers.remote.signIn.clientSecret' },
      { scope: 'jwt', name: 'PEM', field: 'mcpServers.jwt.auth.privateKey' },
    ]);
  });
});
