// flowbot mcp tools   --config WS [--server NAME] [--data-dir DIR] [--bot B] [--json]
// flowbot mcp approve --config WS --server NAME [--tool T [--hash H]]... [--data-dir DIR] [--bot B] [--json]
// flowbot mcp login SERVER --config WS / logout SERVER [--config WS]: mcp-login.ts
// `tools` starts the servers and shows each tool with its approval status and classes; the
// config file is the owner's approval (docs/mcp-approvals.md), so tools it classifies are
// pinned on first sight. `approve` re-pins after a change: exactly the definitions it prints
// (one listing), or with --hash only the definition the owner reviewed.
import { describeChange, describeServer, escapeHidden, type CatalogTool } from '../../core/mcp-catalog';
import { ToolReviewMismatchError, type ServerCatalog, type ToolReview } from '../../runtime/governed-mcp';
import { InputError } from '../../app/input-error';
import { EXIT, UsageError, botOption, dataDirOption, parse, printJson, sandboxOption } from '../usage';
import { loadFor, withWorkspace } from './mcp-workspace';
import { login, logout } from './mcp-login';

export async function mcpCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'tools') return tools(rest);
  if (sub === 'approve') return approve(rest);
  if (sub === 'login') return login(rest);
  if (sub === 'logout') return logout(rest);
  throw new UsageError(`mcp needs "tools", "approve", "login" or "logout"${sub ? `, not "${sub}"` : ''}`);
}

/** The JSON shape of DESIGN §6, plus `command` per server and `flags` per tool. */
export interface ToolsReport {
  servers: ServerReport[];
}
export interface ServerReport {
  name: string;
  status: 'ok' | 'error';
  error?: string;
  command: string;
  tools: ToolReport[];
}
export type ToolReport = Pick<CatalogTool, 'name' | 'title' | 'description' | 'suggestedClass' | 'effectiveClass' | 'status' | 'flags' | 'definitionHash'>;

const common = {
  ...dataDirOption,
  ...sandboxOption,
  ...botOption,
  config: { type: 'string' },
  server: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function tools(argv: string[]): Promise<number> {
  const { values } = parse(argv, common, false);
  const { config, servers } = loadFor(values.config, values.server);
  if (servers.length === 0) {
    if (values.json) printJson({ servers: [] });
    else console.log(`No MCP servers are configured in ${values.config}.`);
    return EXIT.ok;
  }
  return withWorkspace(config, values, async (ws) => {
    // Start every server at once; then build the catalogs in config order, so the hints
    // about one server's descriptions naming another server's tools are stable.
    const started = await Promise.allSettled(servers.map((s) => ws.mcp.listTools(s)));
    const reports: ServerReport[] = [];
    for (const [i, name] of servers.entries()) {
      const command = describeServer(config.mcpServers[name]!);
      const outcome = started[i]!;
      let report: ServerReport;
      if (outcome.status === 'rejected') {
        report = { name, status: 'error', error: messageOf(outcome.reason), command, tools: [] };
      } else {
        try {
          const catalog = await ws.mcp.catalog(name);
          report = { name, status: 'ok', command: catalog.command, tools: catalog.tools.map(toolReport) };
          if (!values.json) printCatalog(catalog);
        } catch (error) {
          report = { name, status: 'error', error: messageOf(error), command, tools: [] };
        }
      }
      if (report.status === 'error' && !values.json) printServerError(report);
      reports.push(report);
    }
    if (values.json) printJson({ servers: reports } satisfies ToolsReport);
    return reports.some((r) => r.status === 'error') ? EXIT.failed : EXIT.ok;
  });
}

async function approve(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...common, tool: { type: 'string', multiple: true }, hash: { type: 'string', multiple: true } }, false);
  if (!values.server) throw new UsageError('mcp approve needs --server NAME (the server whose tools to approve)');
  const hashes = values.hash;
  if (hashes && hashes.length !== (values.tool ?? []).length) {
    throw new UsageError(`mcp approve takes one --hash per --tool, in the same order (got ${(values.tool ?? []).length} --tool and ${hashes.length} --hash)`);
  }
  const { config, servers } = loadFor(values.config, values.server);
  const server = servers[0]!;
  return withWorkspace(config, values, async (ws) => {
    let before: ServerCatalog;
    try {
      before = await ws.mcp.catalog(server);
    } catch (error) {
      report(values.json, { server, error: messageOf(error) });
      return EXIT.failed;
    }
    const offered = before.tools.map((t) => t.name);
    const named = values.tool;
    const unknown = (named ?? []).filter((t) => !offered.includes(t));
    if (unknown.length) {
      throw new InputError(`MCP server "${server}" does not offer ${unknown.map((t) => `"${t}"`).join(', ')}. It offers: ${offered.join(', ') || '(no tools)'}.`);
    }
    const classified = config.mcpServers[server]!.tools ?? {};
    const wanted = named ?? offered.filter((t) => Object.hasOwn(classified, t));
    if (wanted.length === 0) {
      throw new InputError(`Nothing to approve on "${server}": name the tools with --tool NAME, or classify them in mcpServers.${server}.tools of ${values.config}.`);
    }
    // What is pinned is what the owner reviewed (--hash), else exactly the listing printed here.
    const listed = new Map(before.tools.map((t) => [t.name, t]));
    const reviewed: ToolReview[] = wanted.map((name, i) => ({ name, definitionHash: hashes?.[i] ?? listed.get(name)!.definitionHash }));
    let approved: string[];
    try {
      approved = await ws.mcp.approveTools(server, reviewed);
    } catch (error) {
      if (!(error instanceof ToolReviewMismatchError)) throw error;
      report(values.json, { server, error: error.message });
      return EXIT.failed;
    }
    const after = await ws.mcp.catalog(server);
    if (values.json) {
      printJson({ server, approved, tools: after.tools.map(toolReport) });
    } else {
      const was = new Map(before.tools.map((t) => [t.name, t]));
      console.log(`${server}: pinned these definitions for bot "${ws.bot}":`);
      for (const name of approved) {
        const old = was.get(name)!;
        const from = old.status === 'changed' ? `was changed (${describeChange(old.changes ?? [])})` : `was ${old.status}`;
        const now = after.tools.find((t) => t.name === name)!;
        console.log(`  ${escapeHidden(name)}: ${from}, now approved (${now.effectiveClass}), definition ${now.definitionHash}`);
        if (old.status !== 'approved' && now.description) console.log(`      description: ${escapeHidden(now.description)}`);
      }
    }
    return EXIT.ok;
  });
}

const toolReport = (t: CatalogTool): ToolReport => ({
  name: t.name,
  title: t.title,
  description: t.description,
  suggestedClass: t.suggestedClass,
  effectiveClass: t.effectiveClass,
  status: t.status,
  flags: t.flags,
  definitionHash: t.definitionHash,
});

function printCatalog(catalog: ServerCatalog): void {
  console.log(`${catalog.server}: ok — ${catalog.command}`);
  if (catalog.tools.length === 0) {
    console.log('  (the server offers no tools)');
    return;
  }
  const rows = [
    ['TOOL', 'STATUS', 'CLASS', 'SERVER SAYS', 'TITLE'],
    ...catalog.tools.map((t) => [escapeHidden(t.name), t.status, t.effectiveClass, t.suggestedClass, escapeHidden(t.title ?? '')]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) console.log(`  ${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}`);
  for (const t of catalog.tools) {
    const notes: string[] = [];
    if (t.status === 'changed') {
      notes.push(`CHANGED since approval (${describeChange(t.changes ?? [])}): disabled until you re-approve it with \`flowbot mcp approve --server ${catalog.server} --tool ${t.name}\``);
    } else if (t.status === 'unapproved') {
      notes.push(`not approved: treated as a write (the customer confirms every call); approve it by classifying it in the config or with \`flowbot mcp approve --server ${catalog.server} --tool ${t.name}\``);
    }
    for (const f of t.flags) notes.push(`${f.code}: ${f.message}`);
    if (notes.length === 0) continue;
    console.log(`  ! ${escapeHidden(t.name)}`);
    for (const note of notes) console.log(`      ${note}`);
    if (t.status !== 'approved' && t.description) console.log(`      description: ${escapeHidden(t.description)}`);
    if (t.status !== 'approved') console.log(`      definition ${t.definitionHash} (approve exactly this one with --tool ${escapeHidden(t.name)} --hash ${t.definitionHash})`);
  }
}

function printServerError(report: ServerReport): void {
  console.log(`${report.name}: ERROR — ${report.command}`);
  console.log(`  ${report.error ?? 'unknown error'}`);
}

function report(json: boolean | undefined, failure: { server: string; error: string }): void {
  if (json) printJson(failure);
  else console.error(`${failure.server}: ERROR — ${failure.error}`);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
