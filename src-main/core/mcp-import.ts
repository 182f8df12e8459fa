// Reading the `mcpServers` of another MCP client's config (Claude Desktop, Cursor, VS Code:
// `{ "mcpServers": { name: { command, args, env } } }`, `{ "servers": … }` or the bare map)
// into our server configs. Pure: the settings handlers decide what is stored and where.
// Fields of those formats that mean nothing here (or must not: autoApprove) are dropped with
// a note; anything else unknown is refused, naming the field.
import { McpServerConfigSchema, isReservedServerName, reservedServerNameProblem, type McpServerConfig } from '../shared/workspace-config';
import { locateJsonError } from './json-position';
import { describeIssues, formatPath } from './zod-issues';

export interface ImportedServer {
  name: string;
  config: McpServerConfig;
  notes: string[];
}

export type McpImport = { ok: true; servers: ImportedServer[] } | { ok: false; message: string };

const SERVER_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** Fields other clients write that are dropped, with what the owner should know. */
const FOREIGN_FIELDS: Record<string, (value: unknown) => string | undefined> = {
  type: (value) =>
    value === 'sse' ? 'it was an SSE server in the other client; Flowbot connects with Streamable HTTP, which most servers also offer' : undefined,
  transport: () => undefined,
  disabled: (value) => (value === true ? 'it was disabled in the other client; it stays stopped here until you approve it' : undefined),
  autoApprove: () => 'its auto-approved tools are not taken over: you approve each tool here',
  alwaysAllow: () => 'its always-allowed tools are not taken over: you approve each tool here',
  timeout: () => 'its timeout is not taken over (Flowbot waits 30 s per call unless you set timeoutMs)',
};

export function parseMcpImport(text: string): McpImport {
  if (text.trim() === '') return { ok: false, message: 'Paste the JSON config of your other MCP client first.' };
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text, error);
    return { ok: false, message: `The pasted text is not valid JSON: line ${at.line}, column ${at.column}: ${at.reason}.` };
  }
  if (!isRecord(root)) return { ok: false, message: 'The pasted JSON must be an object: { "mcpServers": { "name": { "command": … } } }.' };
  const key = isRecord(root.mcpServers) ? 'mcpServers' : isRecord(root.servers) && !('command' in root.servers) ? 'servers' : undefined;
  if ('mcpServers' in root && key !== 'mcpServers') return { ok: false, message: 'mcpServers: expected an object of servers ({ "name": { "command": … } }).' };
  const map = key ? (root[key] as Record<string, unknown>) : root;
  const prefix = key ?? 'mcpServers';
  const names = Object.keys(map);
  if (names.length === 0) return { ok: false, message: `${prefix}: there are no servers in the pasted config.` };

  const servers: ImportedServer[] = [];
  for (const name of names) {
    const where = formatPath([name], prefix);
    if (!SERVER_NAME.test(name)) {
      return { ok: false, message: `${where}: a server name here uses letters, digits, _ and - (at most 100); rename it in the pasted text.` };
    }
    if (isReservedServerName(name)) return { ok: false, message: `${where}: ${reservedServerNameProblem(name)}; rename it in the pasted text.` };
    const entry = map[name];
    if (!isRecord(entry)) return { ok: false, message: `${where}: expected a server ({ "command": … } or { "url": … }).` };
    const notes: string[] = [];
    const rest: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(entry)) {
      const foreign = Object.hasOwn(FOREIGN_FIELDS, field) ? FOREIGN_FIELDS[field] : undefined;
      if (foreign) {
        const note = foreign(value);
        if (note) notes.push(note);
      } else rest[field] = value;
    }
    const parsed = McpServerConfigSchema.safeParse(rest);
    if (!parsed.success) return { ok: false, message: describeIssues(parsed.error.issues, rest, where) };
    servers.push({ name, config: parsed.data, notes });
  }
  return { ok: true, servers };
}

const SECRET_NAME = /(^|[_-])(TOKEN|SECRET|KEY|APIKEY|PASSWORD|PASSWD|PASS|PWD|AUTH|AUTHORIZATION|CREDENTIALS?|PRIVATE|SESSION|COOKIE|BEARER|PAT)($|[_-])|TOKEN|SECRET|PASSWORD|API_?KEY|ACCESS_?KEY|AUTHORIZATION/i;
const SECRET_PREFIX = /^(sk-|sk_|pk_live|rk_|ghp_|gho_|ghu_|ghs_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA|AIza|ya29\.|eyJ|Bearer\s|Basic\s|npm_|hf_|dop_v1_|SG\.)/;

/**
 * Whether an env variable or header probably holds a secret: by its name (TOKEN, KEY,
 * PASSWORD, AUTHORIZATION…), by the value's form (known key prefixes, credentials in a URL)
 * or by a long random-looking value. Errs on the side of asking.
 */
export function looksLikeSecret(name: string, value: string): boolean {
  if (value.trim() === '') return false;
  if (SECRET_NAME.test(name)) return true;
  if (SECRET_PREFIX.test(value.trim())) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) return true; // user:password@host
  const compact = value.trim();
  if (compact.length >= 24 && !/[\s/\\]/.test(compact) && /[A-Za-z]/.test(compact) && /[0-9]/.test(compact)) return true;
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
