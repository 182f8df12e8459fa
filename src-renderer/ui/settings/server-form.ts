// The add/edit form of an MCP server as plain data, and its conversion to and from the
// workspace config. Values marked secret are not part of the config: they go to the keychain
// (as secrets of that server) and the config gets { "secret": NAME }.
import { i18n } from '../../i18n';
import { HttpServerSchema, StdioServerSchema, type ConfigValue, type McpServerConfig, type SandboxGrant } from '../../../src-main/shared/workspace-config';
import { suggestedHosts } from '../../../src-main/shared/sandbox-hosts';

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

/** A folder the server may use beyond its own (its sandbox grant). */
export interface FolderRow {
  id: number;
  path: string;
  access: 'read' | 'write';
}

export type NetworkChoice = 'none' | 'all' | 'hosts';

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
  /** The stdio server's sandbox grant (docs/mcp-sandbox.md): extra folders, network, Docker. */
  folders: FolderRow[];
  network: NetworkChoice;
  /** One host per line (network 'hosts'). */
  hosts: string;
  docker: boolean;
}

export interface SecretToStore {
  name: string;
  value: string;
}

let nextRowId = 1;
export const newRow = (mode: ValueMode = 'plain'): ValueRow => ({ id: nextRowId++, name: '', mode, value: '' });
export const newFolder = (path = '', access: FolderRow['access'] = 'read'): FolderRow => ({ id: nextRowId++, path, access });

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
    folders: [],
    network: 'none',
    hosts: '',
    docker: false,
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
    const grant = server.sandbox;
    form.folders = (grant?.folders ?? []).map((f) => newFolder(f.path, f.access));
    const network = grant?.network ?? 'none';
    form.network = typeof network === 'object' ? 'hosts' : network;
    form.hosts = typeof network === 'object' ? network.hosts.join('\n') : '';
    form.docker = grant?.docker === true;
  }
  return form;
}

const hostsOf = (text: string): string[] => [...new Set(text.split(/[\s,]+/).map((h) => h.trim()).filter(Boolean))];

/**
 * Hosts the server's plain URL variables name that its network grant does not cover yet: the
 * form offers them with one click (a server told to call https://api.example.com needs to reach it).
 */
export function formSuggestedHosts(form: ServerForm): string[] {
  if (form.kind !== 'stdio' || form.network === 'all') return [];
  const env: Record<string, string> = {};
  for (const row of form.rows) if (row.mode === 'plain' && row.name.trim()) env[row.name.trim()] = row.value;
  const granted = form.network === 'hosts' ? hostsOf(form.hosts) : [];
  return suggestedHosts(env).filter((h) => !granted.includes(h));
}

/** The form with `host` added to its network grant (switching "no network" to "only these hosts"). */
export function withHost(form: ServerForm, host: string): ServerForm {
  const hosts = form.network === 'hosts' ? hostsOf(form.hosts) : [];
  return { ...form, network: 'hosts', hosts: [...hosts, host].join('\n') };
}

/** The sandbox grant the form describes; undefined for the default (nothing beyond its own folders). */
function grantOf(form: ServerForm): { grant: SandboxGrant | undefined } | { problem: string } {
  const folders: NonNullable<SandboxGrant['folders']> = [];
  for (const row of form.folders) {
    const path = row.path.trim();
    if (!path) continue;
    if (folders.some((f) => f.path === path)) return { problem: t('folderTwice', { path }) };
    folders.push({ path, access: row.access });
  }
  const hosts = hostsOf(form.hosts);
  if (form.network === 'hosts' && !hosts.length) return { problem: t('nameAHost') };
  const network: SandboxGrant['network'] = form.network === 'hosts' ? { hosts } : form.network;
  const grant: SandboxGrant = {
    ...(folders.length ? { folders } : {}),
    ...(network !== 'none' ? { network } : {}),
    ...(form.docker ? { docker: true } : {}),
  };
  return { grant: Object.keys(grant).length ? grant : undefined };
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
  const granted = form.kind === 'stdio' ? grantOf(form) : { grant: undefined };
  if ('problem' in granted) return granted;
  const sandbox = granted.grant;
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
          ...(sandbox ? { sandbox } : {}),
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
