// Exporting a bot as a bundle and importing one (issue 16, item 4; the format: shared/bot-bundle.ts,
// reading it: core/bot-bundle.ts). The pieces are read and written through the existing stores:
// the settings store (the bot and its workspace config), the WhatsApp settings, the flow and
// test case repositories, the approvals store (tool pins).
//
// Import rules (README "Move a bot to another machine"):
// - an existing bot is never overwritten silently: a new id (`as`) or an explicit `replace`;
// - a flow whose id is taken by a different flow is imported under a new id (the WhatsApp
//   setting and the test cases follow it); the same flow already there (under its id or an
//   earlier import's new id) is reused, so importing twice adds nothing;
// - MCP server consents never travel: the servers run on this machine now, so the owner
//   approves each command line again before it starts;
// - tool pins are kept only when the owner says so (`keepToolPins`); otherwise every tool is
//   reviewed again like a new one;
// - secret values never travel: the import lists the secrets to set, by name.
// Everything is checked before the first write.
import type { Flow } from '../shared/flow';
import type { ConsentText } from '../shared/consent-texts';
import { BUNDLE_FILE_SUFFIX, type BundlePin } from '../shared/bot-bundle';
import type { TestCase } from '../shared/test-case';
import { canonicalJson } from '../core/canonical-json';
import { describeBundleProblems, readBundle, sealBundle, secretsNeeded, type BundleProblem, type ReadBundle } from '../core/bot-bundle';
import { consentFields } from '../core/mcp-catalog';
import { secretAccount } from '../core/secret-account';
import { describeIssue, formatPath } from '../core/zod-issues';
import type { SecretsPort } from '../runtime/ports';
import type { FlowRepository } from '../adapters/flow-files/flow-repository';
import { idCandidates } from '../adapters/flow-files/flow-ids';
import type { CaseRepository } from '../adapters/test-case-files/test-case-files';
import type { SettingsStore } from '../adapters/settings/settings-store';
import { WhatsAppSettingsSchema, type WhatsAppSettingsStore } from '../adapters/settings/whatsapp-settings';
import type { ApprovalsStore } from '../adapters/store/approvals-store';

export interface BotBundleDeps {
  settings: SettingsStore;
  whatsapp: WhatsAppSettingsStore;
  flows: FlowRepository;
  cases: CaseRepository;
  /** Runs work with the data dir's approvals store (opened and closed around it). */
  withApprovals<T>(work: (approvals: ApprovalsStore) => Promise<T>): Promise<T>;
  /** Where secrets are kept here: says which the imported bot still lacks; checks an export carries no value. */
  secrets?: SecretsPort;
  now?: () => number;
}

/** A bundle that cannot be read (`invalid`, with the fields) or imported as asked (`conflict`). */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(
    readonly reason: 'invalid' | 'conflict',
    message: string,
    readonly problems: BundleProblem[] = [],
  ) {
    super(message);
  }
}

export interface BundleFlowPlan {
  id: string;
  name: string;
  /** The id it gets here. */
  importAs: string;
  /** new: added; same: this exact flow is here already (kept, not written); renamed: the id is taken by another flow. */
  outcome: 'new' | 'same' | 'renamed';
  testCases: number;
}

export interface BundlePreview {
  bot: { id: string; name: string };
  exportedAt: string;
  /** The id the bot gets here, and whether a bot of that id exists (then only `replace` imports). */
  target: { id: string; exists: boolean };
  flows: BundleFlowPlan[];
  /** What each server runs here: the owner approves it again before it starts (`commandText`: for the owner's language). */
  servers: { name: string; transport: 'stdio' | 'http'; command: string; commandText: ConsentText }[];
  /** The secrets the bot needs, by name; `present` is unknown when the secrets store cannot be read. */
  secrets: { scope: string; name: string; field: string; present?: boolean }[];
  /** Tool pins in the bundle, per server (kept only with keepToolPins). */
  toolPins: { server: string; tools: string[] }[];
  whatsapp: boolean;
}

export interface BundleImportResult extends BundlePreview {
  bot: { id: string; name: string };
  toolPinsKept: boolean;
  /** Servers waiting for the owner's consent (all of them: consents never travel). */
  serversNeedingConsent: string[];
}

export async function exportBot(deps: BotBundleDeps, bot: string): Promise<{ fileName: string; text: string; skipped: string[] }> {
  const info = deps.settings.bots().find((b) => b.id === bot);
  if (!info) throw new BundleError('conflict', `There is no bot "${bot}" (bots: ${deps.settings.bots().map((b) => b.id).join(', ')}).`);
  const workspace = deps.settings.workspace(bot);
  const skipped: string[] = [];
  const flows: Flow[] = [];
  const testCases: TestCase[] = [];
  for (const entry of await deps.flows.list()) {
    if (entry.kind === 'broken') {
      skipped.push(`${entry.file} (not a valid flow: ${entry.problems[0]?.message ?? 'it does not parse'})`);
      continue;
    }
    const { $schema: _schema, ...flow } = entry.flow;
    flows.push(flow);
    for (const found of await deps.cases.list(entry.id)) {
      if (found.kind === 'case') testCases.push(withoutSchema(found.testCase));
      else skipped.push(`${found.file} (${found.problems[0]?.message ?? 'not a valid test case'})`);
    }
  }
  const toolPins = await deps.withApprovals(async (approvals) => {
    const pins: Record<string, BundlePin[]> = {};
    for (const server of Object.keys(workspace.mcpServers)) {
      const stored = await approvals.toolPins(bot, server);
      if (stored.length) pins[server] = stored.map((p) => ({ tool: p.tool, definitionHash: p.definitionHash, ...(p.parts ? { parts: p.parts as Record<string, string> } : {}) }));
    }
    return pins;
  });
  const secrets = secretsNeeded(workspace);
  const text = sealBundle({
    exportedAt: new Date(deps.now?.() ?? Date.now()).toISOString(),
    bot: { id: info.id, name: info.name },
    workspace,
    channels: { whatsapp: deps.whatsapp.get(bot) },
    flows,
    testCases,
    toolPins,
    secrets,
  });
  await refuseSecretValues(deps, bot, secrets, text);
  return { fileName: `${bot}${BUNDLE_FILE_SUFFIX}`, text, skipped };
}

/**
 * The last guard of "no secret value in a bundle": a value the owner typed into a flow or a
 * plain config field would travel. Checks every referenced secret that can be read here.
 */
async function refuseSecretValues(deps: BotBundleDeps, bot: string, secrets: ReturnType<typeof secretsNeeded>, text: string): Promise<void> {
  if (!deps.secrets) return;
  for (const ref of secrets) {
    let value: string | undefined;
    try {
      value = await deps.secrets.get(secretAccount({ bot, scope: ref.scope, name: ref.name }));
    } catch {
      continue; // an unreadable keychain cannot say; the config itself holds only references
    }
    if (value && value.length >= 4 && (text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1)))) {
      throw new BundleError(
        'conflict',
        `The bot was not exported: the value of the secret "${ref.name}" (${ref.field}) appears in the bot's flows or settings as plain text. Replace it there with the reference {"secret": "${ref.name}"}.`,
      );
    }
  }
}

export async function previewImport(deps: BotBundleDeps, text: string, options: { as?: string } = {}): Promise<BundlePreview> {
  return (await plan(deps, text, options)).preview;
}

export async function importBot(deps: BotBundleDeps, text: string, options: { as?: string; replace?: boolean; keepToolPins: boolean }): Promise<BundleImportResult> {
  const { preview, read, whatsapp } = await plan(deps, text, options);
  const { bundle } = read;
  const id = preview.target.id;
  if (preview.target.exists && !options.replace) {
    throw new BundleError(
      'conflict',
      `There is a bot "${id}" here already; nothing was imported. Import it under another id (as NEW_ID), or replace that bot on purpose (replace): its settings, WhatsApp settings and MCP approvals are replaced; its secrets are kept.`,
    );
  }
  // Flows and test cases first: a failure there leaves no half-made bot behind.
  const ids = new Map<string, string>();
  for (const entry of preview.flows) {
    if (entry.outcome === 'same') {
      ids.set(entry.id, entry.importAs);
      continue;
    }
    const flow = read.flows.find((f) => f.id === entry.id)!;
    const created = await deps.flows.createUnique({ ...flow }, entry.importAs);
    ids.set(entry.id, created.id);
    for (const testCase of read.testCases.filter((c) => c.flowId === entry.id)) {
      await deps.cases.save(created.id, { ...testCase, flowId: created.id }, { overwrite: true });
    }
  }
  if (preview.target.exists) deps.settings.renameBot(id, bundle.bot.name);
  else deps.settings.createBot(bundle.bot.name, { id });
  deps.settings.saveWorkspace(id, bundle.workspace);
  if (whatsapp) {
    const flowId = whatsapp.flowId !== undefined ? ids.get(whatsapp.flowId) : undefined;
    // flowId written even when absent: a replaced bot's old choice must not linger.
    deps.whatsapp.update(id, { ...whatsapp, flowId });
  }
  await deps.withApprovals(async (approvals) => {
    if (preview.target.exists) await approvals.forgetBot(id); // the old consents were for other command lines
    if (!options.keepToolPins) return;
    const at = deps.now?.() ?? Date.now();
    for (const [server, pins] of Object.entries(bundle.toolPins)) {
      await approvals.pinTools(id, server, pins.map((p) => ({ tool: p.tool, definitionHash: p.definitionHash, ...(p.parts ? { parts: p.parts } : {}) })), at);
    }
  });
  const flows = preview.flows.map((f) => ({ ...f, importAs: ids.get(f.id) ?? f.importAs }));
  return {
    ...preview,
    bot: { id, name: bundle.bot.name },
    flows,
    toolPinsKept: options.keepToolPins,
    serversNeedingConsent: preview.servers.map((s) => s.name),
  };
}

async function plan(deps: BotBundleDeps, text: string, options: { as?: string }) {
  const result = readBundle(text);
  if (!result.ok) throw new BundleError('invalid', `This bot bundle cannot be imported: ${describeBundleProblems(result.problems)}`, result.problems);
  const read: ReadBundle = result.value;
  const { bundle } = read;
  const whatsapp = parseWhatsApp(bundle.channels.whatsapp);
  const id = options.as ?? bundle.bot.id;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new BundleError('invalid', `"${id}" is not a bot id (letters, digits, _ and -, at most 64).`);
  const exists = deps.settings.bots().some((b) => b.id === id);

  const existing = new Map<string, Flow | undefined>();
  for (const entry of await deps.flows.list()) if (entry.id !== undefined) existing.set(entry.id, entry.kind === 'flow' ? entry.flow : undefined);
  const taken = new Set(existing.keys());
  const flows: BundleFlowPlan[] = read.flows.map((flow) => {
    const testCases = read.testCases.filter((c) => c.flowId === flow.id).length;
    // The first free id of id, id-2, id-3…, unless one of them holds this very flow (an earlier import).
    for (const candidate of idCandidates(flow.id)) {
      const here = existing.get(candidate);
      if (here && sameFlow(here, flow)) return { id: flow.id, name: flow.name, importAs: candidate, outcome: 'same', testCases };
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return { id: flow.id, name: flow.name, importAs: candidate, outcome: candidate === flow.id ? 'new' : 'renamed', testCases };
      }
    }
    throw new Error('unreachable: idCandidates never ends');
  });

  const secrets: BundlePreview['secrets'] = [];
  for (const ref of secretsNeeded(bundle.workspace)) {
    let present: boolean | undefined;
    try {
      present = deps.secrets ? (await deps.secrets.get(secretAccount({ bot: id, scope: ref.scope, name: ref.name }))) !== undefined : undefined;
    } catch {
      present = undefined; // a locked or missing keychain: unknown, never "not set"
    }
    secrets.push({ ...ref, ...(present !== undefined ? { present } : {}) });
  }
  const preview: BundlePreview = {
    bot: bundle.bot,
    exportedAt: bundle.exportedAt,
    target: { id, exists },
    flows,
    servers: Object.entries(bundle.workspace.mcpServers).map(([name, server]) => ({
      name,
      transport: 'url' in server ? 'http' : 'stdio',
      ...consentFields(server),
    })),
    secrets,
    toolPins: Object.entries(bundle.toolPins).map(([server, pins]) => ({ server, tools: pins.map((p) => p.tool) })),
    whatsapp: whatsapp !== undefined,
  };
  return { preview, read, whatsapp };
}

/** The bundle's WhatsApp settings as this version's store takes them, or the field that is wrong. */
function parseWhatsApp(value: Record<string, unknown> | undefined) {
  if (value === undefined) return undefined;
  const parsed = WhatsAppSettingsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = formatPath(issue.path, 'channels.whatsapp');
    return { field, message: `${field}: ${describeIssue(issue, value)}` };
  });
  throw new BundleError('invalid', `This bot bundle cannot be imported: ${describeBundleProblems(problems)}`, problems);
}

/** The same flow whatever its id (an imported flow may have been given a new one). */
const sameFlow = (a: Flow, b: Flow): boolean => {
  const { $schema: _a, id: _aid, ...left } = a;
  const { $schema: _b, id: _bid, ...right } = b;
  return canonicalJson(left) === canonicalJson(right);
};

function withoutSchema(testCase: TestCase): TestCase {
  const { $schema: _schema, ...rest } = testCase;
  return rest;
}
