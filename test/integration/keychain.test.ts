// Secrets in the real OS keychain: keytar against gnome-keyring in a private D-Bus session
// (`npm test` starts one, unlocked). The locked, never-unlocked and no-D-Bus cases run the
// CLI in D-Bus sessions and keyrings of their own.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarSecrets, type KeytarLike } from '../../src-main/adapters/secrets/keytar-secrets';
import { KeychainUnavailableError } from '../../src-main/adapters/secrets/keychain-error';
import { createRedactor } from '../../src-main/core/redact';
import { SECRETS_SERVICE, secretAccount } from '../../src-main/core/secret-account';
import { createValueResolver } from '../../src-main/app/resolve-value';
import { InputError } from '../../src-main/app/input-error';
import { flow, flowText, line, n } from '../unit/flow-builders';
import { envWithoutDbus, filesUnder, findLeaks, flowbot, requireTestKeyring, run, BIN, type Ran } from '../support/keychain';

requireTestKeyring();

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const secrets = createKeytarSecrets();
/** Unique per run, so parallel test files and earlier runs never meet. */
const tag = randomBytes(4).toString('hex');
const bot = (name: string) => `${name}-${tag}`;
const secretValue = () => `s3cr3t/${randomBytes(12).toString('base64')}+x`;
const cleanup: string[] = [];
afterAll(async () => {
  for (const account of cleanup) await keytar.deletePassword(SECRETS_SERVICE, account);
});
function account(botName: string, scope: string, name: string): string {
  const a = secretAccount({ bot: botName, scope, name });
  cleanup.push(a);
  return a;
}

describe('keytar secrets adapter (unlocked gnome-keyring)', () => {
  it('sets, gets and deletes a secret under service flowbot-studio', async () => {
    const a = account(bot('roundtrip'), 'crm', 'crm-token');
    const value = secretValue();
    expect(await secrets.get(a)).toBeUndefined();
    await secrets.set(a, value);
    expect(await secrets.get(a)).toBe(value);
    // Really in the keychain, under the documented service and account.
    expect(a).toBe(`bot/roundtrip-${tag}/crm/crm-token`);
    expect(await keytar.getPassword('flowbot-studio', a)).toBe(value);
    await secrets.set(a, 'replaced-value');
    expect(await secrets.get(a)).toBe('replaced-value');
    expect(await secrets.delete(a)).toBe(true);
    expect(await secrets.get(a)).toBeUndefined();
    expect(await secrets.delete(a)).toBe(false);
    await expect(secrets.check()).resolves.toBeUndefined();
  });

  it('keeps two bots (and two servers of one bot) apart', async () => {
    const redactor = createRedactor();
    const [a, b] = [bot('shop-a'), bot('shop-b')];
    const [va, vb, vOther] = [secretValue(), secretValue(), secretValue()];
    await secrets.set(account(a, 'crm', 'crm-token'), va);
    await secrets.set(account(b, 'crm', 'crm-token'), vb);
    await secrets.set(account(a, 'billing', 'crm-token'), vOther);
    const ref = { scope: 'crm', field: 'mcpServers.crm.env.CRM_TOKEN' };
    const resolveA = createValueResolver({ bot: a, secrets, env: {}, redactor });
    const resolveB = createValueResolver({ bot: b, secrets, env: {}, redactor });
    expect(await resolveA({ secret: 'crm-token' }, ref)).toBe(va);
    expect(await resolveB({ secret: 'crm-token' }, ref)).toBe(vb);
    expect(await resolveA({ secret: 'crm-token' }, { scope: 'billing', field: 'mcpServers.billing.env.T' })).toBe(vOther);

    // A third bot has no such secret: the error names the secret, the field and the command.
    const c = bot('shop-c');
    const resolveC = createValueResolver({ bot: c, secrets, env: {}, redactor, defaultBot: 'default' });
    const error = await resolveC({ secret: 'crm-token' }, ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `mcpServers.crm.env.CRM_TOKEN refers to the keychain secret "crm-token" (bot "${c}", scope "crm"), which is not set. ` +
        `Set it with: flowbot secrets set crm-token --scope crm --bot ${c} (it reads the value from stdin).`,
    );
    // Every value read was handed to the redactor.
    expect(redactor.redact(`a=${va} b=${vb} o=${vOther}`)).toBe('a=[secret] b=[secret] o=[secret]');
  });

  it('resolves plain and {env} values; an unset variable is a clear error', async () => {
    const redactor = createRedactor();
    const resolveValue = createValueResolver({ bot: bot('env'), secrets, env: { CI_TOKEN: 'ci-token-value' }, redactor });
    expect(await resolveValue('http://127.0.0.1:9000', { scope: 'crm', field: 'mcpServers.crm.env.URL' })).toBe('http://127.0.0.1:9000');
    expect(await resolveValue({ env: 'CI_TOKEN' }, { scope: 'llm', field: 'llm.apiKey' })).toBe('ci-token-value');
    await expect(resolveValue({ env: 'NOPE' }, { scope: 'llm', field: 'llm.apiKey' })).rejects.toThrow(
      'llm.apiKey reads the environment variable NOPE, which is not set',
    );
    expect(redactor.redact('key ci-token-value at http://127.0.0.1:9000')).toBe('key [secret] at http://127.0.0.1:9000');
  });
});

describe('flowbot secrets (unlocked gnome-keyring)', () => {
  it('set reads the value from stdin and never prints it; delete removes it', async () => {
    const b = bot('cli');
    const a = account(b, 'crm', 'crm-token');
    const value = secretValue();
    const set = await flowbot(['secrets', 'set', 'crm-token', '--scope', 'crm', '--bot', b], { input: `${value}\n` });
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toBe(`Stored the secret "crm-token" (bot "${b}", scope "crm") in the OS keychain (service flowbot-studio).\n`);
    expect(findLeaks([value], { texts: { stdout: set.stdout, stderr: set.stderr } })).toEqual([]);
    expect(await keytar.getPassword(SECRETS_SERVICE, a)).toBe(value); // the trailing newline is dropped

    expect(await flowbot(['secrets', 'check'])).toMatchObject({ code: 0, stderr: '' });

    const del = await flowbot(['secrets', 'delete', 'crm-token', '--scope', 'crm', '--bot', b]);
    expect(del).toMatchObject({ code: 0, stdout: `Deleted the secret "crm-token" (bot "${b}", scope "crm") from the OS keychain.\n` });
    expect(await keytar.getPassword(SECRETS_SERVICE, a)).toBeNull();
    const again = await flowbot(['secrets', 'delete', 'crm-token', '--scope', 'crm', '--bot', b]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('there is no secret "crm-token"');
  });

  it('refuses a value on the command line, an empty value, and a missing scope', async () => {
    const b = bot('cli-refuse');
    const a = account(b, 'crm', 'crm-token');
    const argv = await flowbot(['secrets', 'set', 'crm-token', 'the-value', '--scope', 'crm', '--bot', b]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain('takes the value on stdin, never on the command line');
    const empty = await flowbot(['secrets', 'set', 'crm-token', '--scope', 'crm', '--bot', b], { input: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty value');
    const noScope = await flowbot(['secrets', 'set', 'crm-token', '--bot', b], { input: 'x-value' });
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain('needs --scope');
    expect(await keytar.getPassword(SECRETS_SERVICE, a)).toBeNull();
  });
});

// ---- A keyring of their own: locked, never unlocked ---------------------------------------

interface Session {
  root: string;
  steps: Record<string, Ran>;
}

const LOCK = `gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']"`;

/**
 * Runs `script` in a new D-Bus session with a new gnome-keyring whose files live in a fresh
 * folder. `unlock`: start it unlocked (a login keyring is created); otherwise it is started
 * without a password, so there is no usable (unlocked) keyring at all.
 * In the script, `step NAME CMD...` records CMD's stdout, stderr and exit code; `fb` is flowbot.
 */
async function inOwnKeyring(unlock: boolean, script: string, env: Record<string, string>): Promise<Session> {
  const root = mkdtempSync(join(tmpdir(), 'flowbot-keyring-'));
  for (const d of ['out', 'home', 'xdg-data', 'xdg-config', 'data']) mkdirSync(join(root, d));
  const start = unlock
    ? `eval "$(printf 'own-password' | gnome-keyring-daemon --unlock --components=secrets | sed 's/^/export /')"`
    : `eval "$(gnome-keyring-daemon --start --components=secrets | sed 's/^/export /')"`;
  const prelude = `
set -u
out="$ROOT/out"
fb() { "$NODE" "$BIN" "$@"; }
step() { local name=$1; shift; "$@" > "$out/$name.out" 2> "$out/$name.err"; echo $? > "$out/$name.rc"; }
${start}
`;
  const childEnv: NodeJS.ProcessEnv = {
    ...envWithoutDbus(),
    ...env,
    ROOT: root,
    NODE: process.execPath,
    BIN,
    HOME: join(root, 'home'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
  };
  delete childEnv.GNOME_KEYRING_CONTROL;
  delete childEnv.FLOWBOT_TEST_KEYRING;
  const ran = await run('dbus-run-session', ['--', 'bash', '-c', prelude + script], { env: childEnv, timeoutMs: 100_000 });
  if (ran.code !== 0) throw new Error(`the private D-Bus session failed (${ran.code}): ${ran.stderr}`);
  const steps: Record<string, Ran> = {};
  for (const file of filesUnder(join(root, 'out'))) {
    const match = /([^/]+)\.rc$/.exec(file.path);
    if (!match) continue;
    const name = match[1]!;
    const read = (ext: string) => readFileSync(join(root, 'out', `${name}.${ext}`), 'utf8');
    steps[name] = { code: Number(read('rc').trim()), stdout: read('out'), stderr: read('err') };
  }
  return { root, steps };
}

/** A config whose server needs a keychain secret, and a flow that uses the server. */
function leakyWorkspace(root: string) {
  const configPath = join(root, 'workspace.json');
  const dump = join(root, 'server-env.json');
  writeFileSync(configPath, JSON.stringify({
    mcpServers: {
      leaky: {
        command: process.execPath,
        args: [resolve('test/fixtures/mcp-servers/keychain-env-to-file.js')],
        env: { API_TOKEN: { secret: 'api-token' }, ENV_DUMP_FILE: dump },
        tools: { show_token: 'read', echo: 'read', crash: 'read' },
      },
    },
  }));
  const flowPath = join(root, 'echo.flow.json');
  writeFileSync(flowPath, flowText(flow(
    [n.start(), n.tool('echo', { server: 'leaky', tool: 'echo', args: { text: 'hello' } }), n.end('done', 'Done.')],
    [...line('start', 'echo', 'done')],
    { id: 'echo' },
  )));
  return { configPath, flowPath, dump };
}

const KEYCHAIN_ADVICE = ['gnome-keyring or KWallet', 'session D-Bus', 'Flowbot never falls back to storing secrets on disk', '{"env": "NAME"}'];

describe('a locked keychain', () => {
  it('is reported as locked (keytar itself answers null) and nothing is written anywhere', async () => {
    const stored = secretValue();
    const attempted = secretValue();
    const root = mkdtempSync(join(tmpdir(), 'flowbot-locked-'));
    const { configPath, flowPath, dump } = leakyWorkspace(root);
    const data = join(root, 'data');
    const { root: sessionRoot, steps } = await inOwnKeyring(true, `
printf '%s' "$STORED" | step set-unlocked fb secrets set api-token --scope leaky --bot lockbot
step lock ${LOCK}
step raw-get "$NODE" -e "require('keytar').getPassword('flowbot-studio', 'bot/lockbot/leaky/api-token').then((v) => console.log(JSON.stringify(v)))"
step check fb secrets check
printf '%s' "$ATTEMPTED" | step set-locked fb secrets set other-token --scope leaky --bot lockbot
step delete-locked fb secrets delete api-token --scope leaky --bot lockbot
step chat fb chat "$FLOW" --config "$CONFIG" --bot lockbot --data-dir "$DATA" --json
`, { STORED: stored, ATTEMPTED: attempted, FLOW: flowPath, CONFIG: configPath, DATA: data });

    expect(steps['set-unlocked']).toMatchObject({ code: 0 });
    expect(steps.lock?.stdout).toContain('/org/freedesktop/secrets/collection/login');
    // What makes detection necessary: keytar quietly answers "not set" for a locked keyring.
    expect(steps['raw-get']).toMatchObject({ code: 0, stdout: 'null\n' });

    for (const name of ['check', 'set-locked', 'delete-locked']) {
      const step = steps[name]!;
      expect(step.code, name).toBe(1);
      expect(step.stderr, name).toContain('The OS keychain is locked, so Flowbot cannot read or store secrets');
      for (const advice of KEYCHAIN_ADVICE) expect(step.stderr, name).toContain(advice);
      expect(step.stdout, name).toBe('');
    }
    // Not "the secret is not set": the chat names the field and says the keychain is locked.
    const chat = steps.chat!;
    expect(chat.code, JSON.stringify(chat)).toBe(1);
    expect(chat.stdout, JSON.stringify(chat)).not.toBe('');
    const errors = chat.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; message?: string }).filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('mcpServers.leaky.env.API_TOKEN needs the keychain secret "api-token": The OS keychain is locked');
    expect(errors[0]!.message).not.toContain('not set');

    // Nothing ran and nothing was written: the server never started, the audit log is empty,
    // and neither value is anywhere on disk (the keyring itself is encrypted).
    expect(existsSync(dump)).toBe(false);
    const audit = await flowbot(['audit', 'list', '--json', '--data-dir', data]);
    expect(audit.code, JSON.stringify(audit)).toBe(0);
    expect(JSON.parse(audit.stdout)).toEqual({ records: [] });
    const everything = [...filesUnder(root), ...filesUnder(sessionRoot)];
    expect(everything.length).toBeGreaterThan(3);
    const texts = Object.fromEntries(Object.entries(steps).flatMap(([k, s]) => [[`${k} stdout`, s.stdout], [`${k} stderr`, s.stderr]]));
    expect(findLeaks([stored, attempted], { files: everything, texts })).toEqual([]);
  }, 120_000);

  it('a keyring that was never unlocked is reported as unusable, with what to do', async () => {
    const value = secretValue();
    const { root, steps } = await inOwnKeyring(false, `
step check fb secrets check
printf '%s' "$VALUE" | step set fb secrets set api-token --scope leaky
`, { VALUE: value });
    for (const name of ['check', 'set']) {
      const step = steps[name]!;
      expect(step.code, name).toBe(1);
      expect(step.stderr, name).toMatch(/The OS keychain is (locked|unavailable), so Flowbot cannot read or store secrets/);
      for (const advice of KEYCHAIN_ADVICE) expect(step.stderr, name).toContain(advice);
    }
    expect(findLeaks([value], { files: filesUnder(root) })).toEqual([]);
  }, 120_000);
});

describe('no keychain at all (no D-Bus session)', () => {
  it('every secrets command says the keychain is unavailable; validate still works', async () => {
    const root = mkdtempSync(join(tmpdir(), 'flowbot-nodbus-'));
    const { configPath, flowPath, dump } = leakyWorkspace(root);
    const env = envWithoutDbus();
    const value = secretValue();

    const check = await flowbot(['secrets', 'check'], { env });
    const set = await flowbot(['secrets', 'set', 'api-token', '--scope', 'leaky'], { env, input: value });
    for (const [name, step] of Object.entries({ check, set })) {
      expect(step.code, name).toBe(1);
      expect(step.stderr, name).toContain('The OS keychain is unavailable, so Flowbot cannot read or store secrets');
      expect(step.stderr, name).toContain('Cannot autolaunch D-Bus without X11 $DISPLAY');
      for (const advice of KEYCHAIN_ADVICE) expect(step.stderr, name).toContain(advice);
    }

    const chat = await flowbot(['chat', flowPath, '--config', configPath, '--data-dir', join(root, 'data'), '--json'], { env });
    expect(chat.code).toBe(1);
    expect(chat.stdout).toContain('mcpServers.leaky.env.API_TOKEN needs the keychain secret \\"api-token\\": The OS keychain is unavailable');
    expect(existsSync(dump)).toBe(false);

    // validate reads no secret, so it needs no keychain.
    const validate = await flowbot(['validate', flowPath, '--config', configPath], { env });
    expect(validate).toMatchObject({ code: 0 });
    expect(findLeaks([value], { files: filesUnder(root), texts: { check: check.stderr, set: set.stderr + set.stdout } })).toEqual([]);
  }, 120_000);

  it('the adapter throws KeychainUnavailableError, never "not set"', async () => {
    const broken: KeytarLike = {
      getPassword: async () => null, // what keytar answers for a locked keyring
      setPassword: async () => undefined,
      deletePassword: async () => false,
    };
    const locked = createKeytarSecrets({ load: async () => broken });
    const error = await locked.get('bot/x/crm/token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect(error).toMatchObject({ problem: 'locked' });
    const missing = createKeytarSecrets({ load: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')) });
    await expect(missing.check()).rejects.toThrow('The OS keychain is unavailable, so Flowbot cannot read or store secrets (the keychain library could not be loaded: libsecret-1.so.0');
  });
});
