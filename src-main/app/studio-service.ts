// Every method of the API contract, implemented over the flow files, the templates folder and
// the settings store. Transports never call this directly: they go through the dispatcher
// (src-main/api), which parses inputs and outputs with the contract's schemas.
import {
  ApiCallError,
  type FlowDocument,
  type FlowSummary,
} from '../shared/api-contract';
import type { Flow } from '../shared/flow';
import type { Problem } from '../shared/problem';
import type { WorkspaceConfig } from '../shared/workspace-config';
import { parseFlowText, parseFlowValue } from '../core/parse-flow';
import { errorsFirst, validateFlow, type ValidateOptions } from '../core/validate';
import type { ApiHandlers } from '../api/dispatcher';
import { createTranslationHandlers } from './translation-drafts';
import { FlowFileError, type FlowFile, type FlowRepository } from '../adapters/flow-files/flow-repository';
import { flowIdFromName } from '../adapters/flow-files/flow-ids';
import { readTemplates } from '../adapters/flow-files/templates';
import { FIRST_BOT_ID, SettingsError, type SettingsStore } from '../adapters/settings/settings-store';
import { createEventHub, type EventHub, type StudioEventListener } from './event-hub';
import { ConsentMismatchError } from './studio-mcp';
import type { CatalogServer, StudioMcpPort } from './studio-mcp-port';
import { ToolReviewMismatchError } from '../runtime/governed-mcp';
import { createStudioTests } from './studio-tests';
import { createStudioSimulator } from './studio-simulator';
import type { AuditHandlers } from './studio-audit';
import { createKeytarSecrets, type KeytarSecrets } from '../adapters/secrets/keytar-secrets';
import { createSettingsHandlers } from './studio-settings';
import type { ExampleShopSource } from './settings/example-shop';
import { whatsappUnavailable, type WhatsAppHandlers } from './studio-whatsapp';
import { createServeHandlers } from './settings/serve-handlers';
import type { ServeSettingsStore } from '../adapters/settings/serve-settings';
import { httpChatUnavailable, type HttpChatHandlers } from './http-chat/studio-handlers';
import { AuditKeyLockedError } from './audit-key';
import type { BundleHandlers } from './bundle-handlers';
import type { DesktopHandlers } from './desktop-handlers';
import { createKnowledgeHandlers, knowledgeUnavailable } from './knowledge-handlers';
import type { Workspace } from './workspace';

export interface StudioServiceDeps {
  flows: FlowRepository;
  templatesDir: string;
  settings: SettingsStore;
  /** The bot whose workspace config the settings methods read and write: the active bot (default "default"). */
  bot?: string | (() => string);
  /** The OS keychain for the settings' secrets (default: keytar). */
  secrets?: KeytarSecrets;
  /** Drops a deleted bot's MCP approvals. */
  forgetApprovals?: (bot: string) => Promise<void>;
  /** MCP servers of the bot; without it the catalogue lists the servers as not connected. */
  mcp?: StudioMcpPort;
  /** The audit screen's methods (app/studio-audit.ts). */
  audit: AuditHandlers;
  /** Bot bundles: export and import (app/bundle-handlers.ts); without them they refuse. */
  bundles?: BundleHandlers;
  /** The desktop app's own settings (app/desktop-handlers.ts); without them they refuse. */
  desktop?: DesktopHandlers;
  /** The WhatsApp screen's methods (app/studio-whatsapp.ts); without them they refuse, saying why. */
  whatsapp?: WhatsAppHandlers;
  /** The bots' "Always on" switches for `flowbot serve`; without it serve.* refuse, saying why. */
  serveSettings?: ServeSettingsStore;
  /** The HTTP chat's methods (app/http-chat/studio-handlers.ts); without them they refuse, saying why. */
  httpChat?: HttpChatHandlers;
  events?: EventHub;
  log?: (message: string, error?: unknown) => void;
  /** The app's bundled example shop ("Add the example shop" in the settings). */
  exampleShop?: ExampleShopSource;
  /** Opens a remote server's sign-in page (SettingsAreaDeps.openAuthorizationUrl). */
  openAuthorizationUrl?: (url: string) => Promise<boolean>;
}

export interface StudioService {
  handlers: ApiHandlers;
  events: EventHub;
  on(listener: StudioEventListener): () => void;
}

/** The bot a new studio starts with (the settings' first bot, and the CLI's default bot). */
export const DEFAULT_STUDIO_BOT = FIRST_BOT_ID;
const MAX_NAME = 120;

export function createStudioService(deps: StudioServiceDeps): StudioService {
  const { flows, settings } = deps;
  const botDep = deps.bot ?? DEFAULT_STUDIO_BOT;
  const activeBot = typeof botDep === 'function' ? botDep : () => botDep;
  const log = deps.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const events = deps.events ?? createEventHub(log);
  const changed = (id: string) => events.emit({ event: 'flows.changed', payload: { id } });
  /** The last catalogue a provider returned (for the bot it was for): validation then knows which tools exist. */
  let lastCatalog: { bot: string; servers: CatalogServer[] } | undefined;

  /** The config for validation: without one when the stored settings are unusable. */
  const validateOptions = (): ValidateOptions => {
    let config: WorkspaceConfig | undefined;
    try {
      config = settings.workspace(activeBot());
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
    }
    const catalog = lastCatalog?.bot === activeBot()
      ? Object.fromEntries(
          lastCatalog.servers.filter((s) => s.status === 'ok').map((s) => [s.name, s.tools.map((t) => ({ name: t.name, status: t.status, inputSchema: t.inputSchema }))]),
        )
      : undefined;
    return { ...(config ? { config } : {}), ...(catalog ? { catalog } : {}) };
  };
  const problemsOf = (flow: Flow, options = validateOptions()): Problem[] => validateFlow(flow, options);

  const summaryOf = (entry: FlowFile, options?: ValidateOptions): FlowSummary => {
    if (entry.kind === 'broken') {
      const id = entry.id ?? 'unknown';
      return { id, name: id, file: entry.file, updatedAt: entry.updatedAt, errorCount: entry.problems.length, warningCount: 0 };
    }
    const problems = problemsOf(entry.flow, options);
    return {
      id: entry.id,
      name: entry.flow.name,
      ...(entry.flow.description !== undefined ? { description: entry.flow.description } : {}),
      file: entry.file,
      updatedAt: entry.updatedAt,
      errorCount: problems.filter((p) => p.severity === 'error').length,
      warningCount: problems.filter((p) => p.severity === 'warning').length,
    };
  };

  const readFlow = async (id: string): Promise<FlowFile> => {
    const entry = await flows.read(id);
    if (entry === undefined) throw new ApiCallError('NOT_FOUND', `There is no flow "${id}".`);
    return entry;
  };
  const readValidFlow = async (id: string): Promise<Extract<FlowFile, { kind: 'flow' }>> => {
    const entry = await readFlow(id);
    if (entry.kind === 'broken') {
      throw new ApiCallError(
        'CONFLICT',
        `The file of "${id}" is not a valid flow (${entry.problems[0]?.message ?? 'it does not parse'}). Fix or delete the file first.`,
      );
    }
    return entry;
  };

  const workspace = (): WorkspaceConfig => {
    try {
      return settings.workspace(activeBot());
    } catch (error) {
      if (error instanceof SettingsError) throw new ApiCallError('CONFLICT', error.message);
      throw error;
    }
  };

  const settingsDeps = {
    settings,
    activeBot,
    ...(deps.mcp ? { mcp: deps.mcp } : {}),
    secrets: deps.secrets ?? createKeytarSecrets(),
    ...(deps.forgetApprovals ? { forgetApprovals: deps.forgetApprovals } : {}),
    events,
    log,
    ...(deps.exampleShop ? { exampleShop: deps.exampleShop } : {}),
    ...(deps.openAuthorizationUrl ? { openAuthorizationUrl: deps.openAuthorizationUrl } : {}),
  };
  const handlers: ApiHandlers = {
    'flows.list': async () => {
      const entries = await flows.list();
      const options = validateOptions();
      return {
        flows: entries.filter((e) => e.kind === 'flow').map((e) => summaryOf(e, options)),
        broken: entries.flatMap((e) => (e.kind === 'broken' ? [{ ...(e.id !== undefined ? { id: e.id } : {}), file: e.file, problems: e.problems }] : [])),
      };
    },

    'flows.get': async ({ id }): Promise<FlowDocument> => {
      const entry = await readFlow(id);
      if (entry.kind === 'broken') return { ok: false, file: entry.file, problems: entry.problems, text: entry.text };
      return { ok: true, flow: entry.flow, problems: problemsOf(entry.flow), updatedAt: entry.updatedAt };
    },

    'flows.save': async ({ flow, expectedUpdatedAt }) => {
      const { updatedAt } = await flows.save(flow, expectedUpdatedAt !== undefined ? { expectedUpdatedAt } : {});
      changed(flow.id);
      return { updatedAt, problems: problemsOf(flow) };
    },

    'flows.create': async ({ name, templateId }) => {
      let flow: Flow;
      if (templateId !== undefined) {
        const templates = await readTemplates(deps.templatesDir, log);
        const template = templates.find((t) => t.id === templateId);
        if (template === undefined) {
          const known = templates.map((t) => t.id).join(', ') || 'none';
          throw new ApiCallError('NOT_FOUND', `There is no template "${templateId}". Templates: ${known}.`);
        }
        // The template's "$schema" points next to the template, not into the flows folder.
        const { $schema: _schema, ...copy } = template.flow;
        flow = { ...copy, name };
      } else {
        flow = blankFlow(name);
      }
      const created = await flows.createUnique(flow, flowIdFromName(name));
      changed(created.id);
      return summaryOf(created);
    },

    'flows.rename': async ({ id, name }) => {
      const entry = await readValidFlow(id);
      await flows.save({ ...entry.flow, name }, { expectedUpdatedAt: entry.updatedAt });
      changed(id);
      return summaryOf(await readValidFlow(id));
    },

    'flows.duplicate': async ({ id }) => {
      const entry = await readValidFlow(id);
      const name = copyName(entry.flow.name);
      const created = await flows.createUnique({ ...entry.flow, name }, flowIdFromName(name));
      changed(created.id);
      return summaryOf(created);
    },

    'flows.delete': async ({ id }) => {
      const restoreToken = await flows.trash(id);
      changed(id);
      return { restoreToken };
    },

    'flows.restore': async ({ restoreToken }) => {
      const restored = await flows.restore(restoreToken);
      changed(restored.id ?? '');
      return summaryOf(restored);
    },

    'flows.import': async ({ fileName, text }) => {
      const source = displayFileName(fileName);
      const parsed = parseFlowText(text, source);
      if (!parsed.flow) {
        const listed = parsed.problems.slice(0, 5).map((p) => p.message);
        const more = parsed.problems.length - listed.length;
        throw new ApiCallError(
          'INVALID_INPUT',
          `flows.import: ${source} is not a flow file Flowbot Studio can open: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
        );
      }
      const created = await flows.createUnique(parsed.flow, parsed.flow.id);
      changed(created.id);
      return summaryOf(created);
    },

    'flows.export': async ({ id }) => {
      const entry = await readFlow(id);
      return { fileName: `${id}.flow.json`, text: entry.text };
    },

    'flows.validate': async ({ flow }) => {
      const parsed = parseFlowValue(flow, 'the flow');
      if (!parsed.flow) return { problems: errorsFirst(parsed.problems) };
      return { problems: problemsOf(parsed.flow) };
    },

    'templates.list': async () => {
      const templates = await readTemplates(deps.templatesDir, log);
      return {
        templates: templates.map(({ id, flow }) => ({
          id,
          name: flow.name,
          ...(flow.description !== undefined ? { description: flow.description } : {}),
        })),
      };
    },

    'settings.get': async () => ({ config: workspace() }),

    'settings.save': async ({ config }) => {
      const bot = activeBot();
      settings.saveWorkspace(bot, config);
      events.emit({ event: 'settings.changed', payload: { bot } });
      return { savedAt: Date.now() };
    },

    'mcp.catalog': async () => {
      if (deps.mcp) {
        const bot = activeBot();
        const result = await deps.mcp.catalog();
        lastCatalog = { bot, servers: result.servers };
        return result;
      }
      const config = workspace();
      return {
        servers: Object.keys(config.mcpServers).map((name) => ({ name, status: 'error' as const, error: 'not connected', tools: [] })),
      };
    },

    'mcp.approveServer': async ({ server, command }) => {
      if (!deps.mcp) throw new ApiCallError('CONFLICT', 'MCP servers are not available here');
      await deps.mcp.approveServer(server, command);
      return { approved: true as const };
    },

    'mcp.approveTools': async ({ server, tools }) => {
      if (!deps.mcp) throw new ApiCallError('CONFLICT', 'MCP servers are not available here');
      return { approved: await deps.mcp.approveTools(server, tools) };
    },

    ...createStudioTests({ flows, events, ...(deps.mcp?.workspace ? { workspace: deps.mcp.workspace.bind(deps.mcp) } : {}) }),
    ...deps.audit,
    ...createStudioSimulator({ flows, events, ...(deps.mcp?.workspace ? { workspace: deps.mcp.workspace.bind(deps.mcp) } : {}) }),
    ...createSettingsHandlers(settingsDeps),
    ...createTranslationHandlers(settingsDeps),
    ...(deps.whatsapp ?? whatsappUnavailable()),
    ...(deps.bundles ?? bundlesUnavailable()),
    ...(deps.desktop ?? desktopUnavailable()),
    ...createServeHandlers({ settings: deps.settings, ...(deps.serveSettings ? { serve: deps.serveSettings } : {}) }),
    ...(deps.httpChat ?? httpChatUnavailable()),
    ...(deps.mcp?.workspace ? createKnowledgeHandlers({ events, knowledge: knowledgeOf(deps.mcp.workspace.bind(deps.mcp)) }) : knowledgeUnavailable()),
  };

  return { handlers: withErrorMapping(handlers), events, on: (listener) => events.on(listener) };
}

/** The active bot's knowledge base: the one its workspace's AI steps search. */
function knowledgeOf(workspace: () => Promise<Workspace>) {
  return async () => {
    const { bot, knowledge } = await workspace();
    return { bot, base: knowledge };
  };
}

function bundlesUnavailable(): BundleHandlers {
  const refuse = async (): Promise<never> => {
    throw new ApiCallError('CONFLICT', 'Exporting and importing bots is not available here.');
  };
  return { 'bots.export': refuse, 'bots.importPreview': refuse, 'bots.import': refuse };
}

function desktopUnavailable(): DesktopHandlers {
  const refuse = async (): Promise<never> => {
    throw new ApiCallError('CONFLICT', 'The desktop app settings are not available here.');
  };
  return { 'desktop.settings': refuse, 'desktop.saveSettings': refuse };
}

/** A new flow: only the start step. */
export function blankFlow(name: string, id = flowIdFromName(name)): Flow {
  return {
    schemaVersion: 1,
    id,
    name,
    nodes: [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }],
    edges: [],
  };
}

function copyName(name: string): string {
  const suffix = ' (copy)';
  return name.length + suffix.length > MAX_NAME ? `${name.slice(0, MAX_NAME - suffix.length)}${suffix}` : `${name}${suffix}`;
}

/** Only the last path part of what the client says the file was called, printable. */
function displayFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, '').trim();
  return clean === '' ? 'the imported file' : clean;
}

/** Refusals from the adapters become the contract's error codes. */
function withErrorMapping(handlers: ApiHandlers): ApiHandlers {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [method, handler] of Object.entries(handlers) as [string, (input: never) => unknown][]) {
    wrapped[method] = async (input) => {
      try {
        return await handler(input);
      } catch (error) {
        if (error instanceof FlowFileError) throw new ApiCallError(error.reason === 'not-found' ? 'NOT_FOUND' : 'CONFLICT', error.message);
        if (error instanceof AuditKeyLockedError) throw new ApiCallError('CONFLICT', error.message, error.text);
        if (error instanceof SettingsError) throw new ApiCallError('CONFLICT', error.message);
        if (error instanceof ConsentMismatchError) throw new ApiCallError('CONFLICT', error.message, error.text);
        if (error instanceof ToolReviewMismatchError) throw new ApiCallError('CONFLICT', error.message);
        throw error;
      }
    };
  }
  return wrapped as unknown as ApiHandlers;
}
