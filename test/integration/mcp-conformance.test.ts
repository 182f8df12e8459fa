// The official MCP client conformance suite (@modelcontextprotocol/conformance) against the
// studio's own client code: for each scenario the suite starts its servers (MCP server,
// authorization server) and runs scripts/conformance-client.ts, which opens a workspace on
// them as the CLI does (keychain, MCP hub, OAuth) and lists and calls tools. A browser sign-in
// goes through $BROWSER = test/fixtures/oauth/browser-follower.mjs. The suite grades what reached its
// servers; a scenario passes when the suite says so (no failed check, no warning, the client
// exited 0). The suite needs Node >= 22 (scripts/node22.sh); the client runs on this Node.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { loadAuditKey } from '../../src-main/app/audit-key';
import { requireTestKeyring, run } from '../support/keychain';

requireTestKeyring();

/** Every scenario the studio must pass (issue 14): the 2025-11-25 auth scenarios, the
 *  2025-03-26 back-compat pair, client credentials (extension), and the core pair. */
const SCENARIOS = [
  'initialize',
  'tools_call',
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/basic-cimd',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
  'auth/2025-03-26-oauth-metadata-backcompat',
  'auth/2025-03-26-oauth-endpoint-fallback',
  'auth/client-credentials-basic',
  'auth/client-credentials-jwt',
] as const;

const SUITE = resolve('node_modules/@modelcontextprotocol/conformance/dist/index.js');
const CLIENT = `${process.execPath} --import tsx ${resolve('scripts/conformance-client.ts')}`;
const BROWSER = `${process.execPath} ${resolve('test/fixtures/oauth/browser-follower.mjs')}`;
/** The suite's limit on one client run (its own default is 30 s; a shared CI machine can be far slower). */
const CLIENT_TIMEOUT_MS = 240_000;
/** Scenarios run at once: each is two processes (suite, client) that are busy mostly starting up. */
const PARALLEL = 4;

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  description?: string;
  errorMessage?: string;
}
interface Outcome {
  code: number | null;
  /** The suite's failed checks and warnings, as "id: why". */
  problems: string[];
  log: string;
}

let node22: string;
let out: string;
const outcomes = new Map<string, Promise<Outcome>>();

beforeAll(async () => {
  // gnome-keyring creates its default collection on the first write, and the audit key on the
  // first workspace: clients that all do it at once wait for each other forever. Done once here.
  await loadAuditKey(createKeytarSecrets(), { create: true });
  node22 = execFileSync('bash', ['scripts/node22.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  out = mkdtempSync(join(tmpdir(), 'flowbot-conformance-results-'));
  // In parallel (each scenario has servers of its own on random ports), a few at a time.
  const slots = pool(PARALLEL);
  for (const scenario of SCENARIOS) {
    const outcome = slots(() => runScenario(scenario));
    outcome.catch(() => undefined); // reported by its own test
    outcomes.set(scenario, outcome);
  }
}, 120_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

/** Runs at most `size` tasks at once. */
function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= size) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

async function runScenario(scenario: string): Promise<Outcome> {
  const dir = join(out, scenario.replace(/\W/g, '_'));
  const env: NodeJS.ProcessEnv = { ...process.env, BROWSER, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  delete env.FORCE_COLOR;
  const ran = await run(node22, [SUITE, 'client', '--command', CLIENT, '--scenario', scenario, '--timeout', String(CLIENT_TIMEOUT_MS), '-o', dir], {
    env,
    timeoutMs: CLIENT_TIMEOUT_MS + 60_000,
  });
  const saved = existsSync(dir) ? readdirSync(dir).map((d) => join(dir, d, 'checks.json')).find(existsSync) : undefined;
  const checks = saved ? (JSON.parse(readFileSync(saved, 'utf8')) as Check[]) : [];
  const problems = checks
    .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
    .map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? c.description ?? ''}`);
  return { code: ran.code, problems, log: `${ran.stdout}\n${ran.stderr}` };
}

describe('MCP client conformance suite (@modelcontextprotocol/conformance)', () => {
  it.each(SCENARIOS)('%s', { timeout: 900_000 }, async (scenario) => {
    const outcome = await outcomes.get(scenario)!;
    expect(outcome.problems, outcome.log).toEqual([]);
    expect(outcome.code, outcome.log).toBe(0);
  });
});
