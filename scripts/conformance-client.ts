// The client under test for the official MCP conformance suite (@modelcontextprotocol/conformance,
// test/integration/mcp-conformance.test.ts). The suite starts one scenario's servers, then runs
//   <this command> SERVER_URL     with MCP_CONFORMANCE_SCENARIO (and MCP_CONFORMANCE_CONTEXT)
// and grades what reached its servers. This drives the studio's own client code, as the CLI
// does: a workspace config written to a file and loaded (validation included), the workspace's
// composition root (keychain, MCP hub, OAuth), then tools/list and a tool call. The secrets a
// scenario hands out (client secret, private key) are put in the keychain first, as an owner
// would with `flowbot secrets set`, and referenced by name. When the server asks for a browser
// sign-in (or a new one, for more access), the harness does what the owner does with "Sign in"
// (`flowbot mcp login`): the authorization URL opens with $BROWSER (the test points it at
// test/fixtures/oauth/browser-follower.mjs), then the calls are tried again.
//
//   node --import tsx scripts/conformance-client.ts http://localhost:PORT/mcp
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeytarSecrets } from '../src-main/adapters/secrets/keytar-secrets';
import { loadConfig } from '../src-main/app/load-config';
import { openWorkspace, type Workspace } from '../src-main/app/workspace';
import { secretAccount } from '../src-main/core/secret-account';

const SERVER = 'conformance';
/** The tools the suite's servers offer: classified as reads, so the config approves them. */
const TOOLS = { add_numbers: 'read', 'test-tool': 'read' } as const;
/** Sign-ins the owner would do before giving up: the first, and one per request for more access. */
const MAX_SIGN_INS = 3;
/** The client ID metadata document the suite's basic-cimd scenario expects (it fetches nothing). */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

interface Context {
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
}

async function main(): Promise<void> {
  const url = process.argv.at(-1);
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  if (!url || !/^https?:\/\//.test(url)) throw new Error('usage: conformance-client.ts SERVER_URL (run by the conformance suite)');
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Context;

  const dir = mkdtempSync(join(tmpdir(), 'flowbot-conformance-'));
  // A bot of its own: the suite runs scenarios in parallel, each with its own keychain entries.
  const bot = `conformance-${randomBytes(4).toString('hex')}`;
  const secrets = createKeytarSecrets();
  const stored: string[] = [];
  const keep = async (name: string, value: string) => {
    const account = secretAccount({ bot, scope: SERVER, name });
    await secrets.set(account, value);
    stored.push(account);
    return { secret: name };
  };
  try {
    const server: Record<string, unknown> = { url, tools: TOOLS };
    if (scenario.startsWith('auth/client-credentials-')) {
      // Machine-to-machine: no tokenUrl, the token endpoint is discovered from the server's metadata.
      server.auth = context.private_key_pem
        ? { type: 'oauth2', clientId: context.client_id, privateKey: await keep('private-key', context.private_key_pem), ...(context.signing_algorithm ? { algorithm: context.signing_algorithm } : {}) }
        : { type: 'oauth2', clientId: context.client_id, clientSecret: await keep('client-secret', context.client_secret ?? '') };
    } else if (context.client_id) {
      // A client the owner registered with the authorization server beforehand.
      server.signIn = { clientId: context.client_id, ...(context.client_secret ? { clientSecret: await keep('client-secret', context.client_secret) } : {}) };
    } else if (scenario === 'auth/basic-cimd') {
      server.signIn = { clientMetadataUrl: CLIENT_METADATA_URL };
    }
    const configPath = join(dir, 'workspace.json');
    writeFileSync(configPath, JSON.stringify({ mcpServers: { [SERVER]: server } }, null, 2));
    const ws = await openWorkspace({ config: loadConfig(configPath), bot, configPath, dataDir: join(dir, 'data'), secrets });
    try {
      for (let signIns = 0; ; signIns++) {
        try {
          await useTools(ws);
          break;
        } catch (err) {
          const { state } = await ws.signIn.status(SERVER);
          if ((state !== 'needs-sign-in' && state !== 'sign-in-again') || signIns >= MAX_SIGN_INS) throw err;
          console.log(`${state}: signing in`);
          const started = await ws.signIn.startSignIn(SERVER);
          await started.openInBrowser(process.env);
          const status = await started.finished;
          console.log(`signed in with ${status.issuer ?? '?'} (scope: ${status.scope ?? 'none'})`);
        }
      }
    } finally {
      await ws.close();
    }
  } finally {
    for (const account of stored) await secrets.delete(account).catch(() => false);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function useTools(ws: Workspace): Promise<void> {
  const tools = (await ws.mcp.listTools(SERVER)).map((t) => t.name);
  console.log(`tools: ${tools.join(', ')}`);
  if (tools.includes('add_numbers')) {
    const result = await ws.mcp.callTool(SERVER, 'add_numbers', { a: 5, b: 3 });
    console.log(`add_numbers: ${result.text}`);
  } else if (tools.includes('test-tool')) {
    const result = await ws.mcp.callTool(SERVER, 'test-tool', {});
    console.log(`test-tool: ${result.text}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
