// The add/edit form of an MCP server as plain data, and its conversion to and from the
// workspace config. Values marked secret are not part of the config: they go to the keychain
// (as secrets of that server) and the config gets { "secret": NAME }.
import { i18n } from '../../i18n';
import { HttpServerSchema, StdioServerSchema, type ConfigValue, type McpServerConfig } from '../../../src-main/shared/workspace-config';

export type ValueMode = 'plain' | 'secret' | 'env';

export interface ValueRow {
  id: number;
  name: string;
  mode: ValueMode;
  /** Plain: the value; secret: a new value to store (empty keeps the stored one); env: the variable's name. */
  value: string;
  /** The keychain name of a secret (default: the row's name). */
  secretName?: string;
  /** The config already refers to this secret. */
  existing?: boolean;
}

export interface ServerForm {
  name: string;
  kind: 'stdio' | 'url';
  command: string;
  /** One argument per line (spaces inside an argument are kept). */
  args: string;
  cwd: string;
  url: string;
  /** Env variables (stdio) or headers (url). */
  rows: ValueRow[];
  oauth: boolean;
  tokenUrl: string;
  clientId: string;
  clientSecretName: string;
  clientSecret: string;
  clientSecretExisting: boolean;
  oauthScope: string;
  tokenEnv: string;
}

export interface SecretToStore {
  name: string;
  value: string;
}

let nextRowId = 1;
export const newRow = (mode: ValueMode = 'plain'): ValueRow => ({ id: nextRowId++, name: '', mode, value: '' });

export function emptyForm(): ServerForm {
  return {
    name: '',
    kind: 'stdio',
    command: '',
    args: '',
    cwd: '',
    url: '',
    rows: [],
    oauth: false,
    tokenUrl: '',
    clientId: '',
    clientSecretName: 'client-secret',
    clientSecret: '',
    clientSecretExisting: false,
    oauthScope: '',
    tokenEnv: 'ACCESS_TOKEN',
  };
}

function rowOf(name: string, value: ConfigValue): ValueRow {
  if (typeof value === 'string') return { ...newRow('plain'), name, value };
  if ('env' in value) return { ...newRow('env'), name, value: value.env };
  return { ...newRow('secret'), name, secretName: value.secret, existing: true };
}

export function formOf(name: string, server: McpServerConfig): ServerForm {
  const form = emptyForm();
  form.name = name;
  const auth = server.auth;
  if (auth) {
    form.oauth = true;
    form.tokenUrl = auth.tokenUrl ?? '';
    form.clientId = auth.clientId;
    form.oauthScope = auth.scope ?? '';
    const secret = auth.clientSecret;
    if (secret !== undefined && typeof secret !== 'string' && 'secret' in secret) {
      form.clientSecretName = secret.secret;
      form.clientSecretExisting = true;
    }
    if ('tokenEnv' in auth) form.tokenEnv = auth.tokenEnv;
  }
  if ('url' in server) {
    form.kind = 'url';
    form.url = server.url;
    form.rows = Object.entries(server.headers ?? {}).map(([k, v]) => rowOf(k, v));
  } else {
    form.command = server.command;
    form.args = (server.args ?? []).join('\n');
    form.cwd = server.cwd ?? '';
    form.rows = Object.entries(server.env ?? {}).map(([k, v]) => rowOf(k, v));
  }
  return form;
}

/**
 * The config to save and the secrets to store, or the first thing to fix. `previous` keeps
 * what the form does not edit (timeout, resource indicator; the handler keeps the tool classes).
 */
export function configOf(form: ServerForm, previous?: McpServerConfig): { server: McpServerConfig; secrets: SecretToStore[] } | { problem: string } {
  const secrets: SecretToStore[] = [];
  const values: Record<string, ConfigValue> = {};
  for (const row of form.rows) {
    const name = row.name.trim();
    if (!name && !row.value) continue;
    if (!name) return { problem: form.kind === 'url' ? t('headerWithoutName') : t('variableWithoutName') };
    if (Object.hasOwn(values, name)) return { problem: t('listedTwice', { name }) };
    if (row.mode === 'plain') values[name] = row.value;
    else if (row.mode === 'env') {
      if (!row.value.trim()) return { problem: t('nameTheVariable', { name }) };
      values[name] = { env: row.value.trim() };
    } else {
      const secretName = row.secretName ?? name;
      if (!row.value && !row.existing) return { problem: t('enterSecret', { name }) };
      if (row.value) secrets.push({ name: secretName, value: row.value });
      values[name] = { secret: secretName };
    }
  }
  let auth: Record<string, unknown> | undefined;
  if (form.oauth) {
    const before = previous?.auth;
    // A private key (private_key_jwt, set in the config file) is kept unless a client secret replaces it.
    const keepKey = !form.clientSecret && before?.privateKey !== undefined;
    if (!form.clientSecret && !form.clientSecretExisting && !keepKey) return { problem: t('enterClientSecret') };
    const secretName = form.clientSecretName.trim() || 'client-secret';
    if (form.clientSecret) secrets.push({ name: secretName, value: form.clientSecret });
    auth = {
      type: 'oauth2',
      ...(form.tokenUrl.trim() ? { tokenUrl: form.tokenUrl.trim() } : {}),
      clientId: form.clientId.trim(),
      ...(keepKey ? { privateKey: before.privateKey, ...(before.algorithm ? { algorithm: before.algorithm } : {}) } : { clientSecret: { secret: secretName } }),
      ...(form.oauthScope.trim() ? { scope: form.oauthScope.trim() } : {}),
      ...(before?.resource ? { resource: before.resource } : {}),
      ...(form.kind === 'stdio' ? { tokenEnv: form.tokenEnv.trim() } : {}),
    };
  }
  const common = { ...(previous?.timeoutMs ? { timeoutMs: previous.timeoutMs } : {}) };
  const hasValues = Object.keys(values).length > 0;
  const server =
    form.kind === 'url'
      ? { url: form.url.trim(), ...(hasValues ? { headers: values } : {}), ...(auth ? { auth } : {}), ...common }
      : {
          command: form.command.trim(),
          ...(argsOf(form.args).length ? { args: argsOf(form.args) } : {}),
          ...(hasValues ? { env: values } : {}),
          ...(form.cwd.trim() ? { cwd: form.cwd.trim() } : {}),
          ...(auth ? { auth } : {}),
          ...common,
        };
  const parsed = form.kind === 'url' ? HttpServerSchema.safeParse(server) : StdioServerSchema.safeParse(server);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    const known = FIELDS.includes(field);
    const label = known ? i18n.t(`settings:serverForm.fields.${field}`) : field;
    if (issue?.code === 'too_small') return { problem: t('mustNotBeEmpty', { field: label }) };
    if (issue?.code === 'invalid_format') return { problem: t('notAnAddress', { field: label }) };
    return { problem: issue?.message ? t('invalidBecause', { field: label, reason: issue.message }) : t('notValid', { field: label }) };
  }
  return { server: parsed.data, secrets };
}

/** The fields the schema checks that have a name in the catalogue (settings:serverForm.fields). */
const FIELDS = ['command', 'url', 'auth.tokenUrl', 'auth.clientId', 'auth.tokenEnv'];

const t = (key: string, values?: Record<string, string>) => i18n.t(`settings:serverForm.problems.${key}`, values ?? {});

const argsOf = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');
