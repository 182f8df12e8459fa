// What the settings screens' handlers share: the settings store, the active bot, the keychain,
// the MCP side and the event hub, plus the helpers every one of them uses.
import { ApiCallError } from '../../shared/api-contract';
import type { WorkspaceConfig } from '../../shared/workspace-config';
import { SettingsError, type SettingsStore } from '../../adapters/settings/settings-store';
import { KeychainUnavailableError } from '../../adapters/secrets/keychain-error';
import type { KeytarSecrets } from '../../adapters/secrets/keytar-secrets';
import type { EventHub } from '../event-hub';
import type { StudioMcpPort } from '../studio-mcp-port';
import type { ExampleShopSource } from './example-shop';

export interface SettingsAreaDeps {
  settings: SettingsStore;
  /** The bot the studio acts on (persisted in the settings). */
  activeBot(): string;
  mcp?: StudioMcpPort;
  secrets: KeytarSecrets;
  /** Drops a deleted bot's MCP consents and tool pins. */
  forgetApprovals?: (bot: string) => Promise<void>;
  events: EventHub;
  log: (message: string, error?: unknown) => void;
  /** Where the app's bundled example shop lives; without it "Add the example shop" says it is not shipped. */
  exampleShop?: ExampleShopSource;
  /**
   * Opens a sign-in page for the owner (the system browser, or the BROWSER command); false when
   * this host leaves that to the page (the web host opens a new tab). Absent: the page opens it.
   */
  openAuthorizationUrl?: (url: string) => Promise<boolean>;
}

/** The active bot's workspace config; unusable stored settings are a CONFLICT saying where. */
export function readWorkspace(deps: SettingsAreaDeps, bot = deps.activeBot()): WorkspaceConfig {
  try {
    return deps.settings.workspace(bot);
  } catch (error) {
    if (error instanceof SettingsError) throw new ApiCallError('CONFLICT', error.message);
    throw error;
  }
}

export function saveWorkspace(deps: SettingsAreaDeps, config: WorkspaceConfig, bot = deps.activeBot()): void {
  deps.settings.saveWorkspace(bot, config);
  deps.events.emit({ event: 'settings.changed', payload: { bot } });
}

/** Runs keychain work; a locked or missing keychain becomes a CONFLICT that says so (never "not set"). */
export async function withKeychain<T>(work: () => Promise<T>, context?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof KeychainUnavailableError) throw new ApiCallError('CONFLICT', (context ? error.withContext(context) : error).message);
    throw error;
  }
}
