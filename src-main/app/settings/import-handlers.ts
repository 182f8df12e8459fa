// mcp.importPreview / mcp.import: servers pasted from another MCP client's config. The preview
// shows what would be added (the consent line, each variable with its value or the reference it
// comes from, values only when they do not look like secrets, the variables that change which
// code runs); the import stores a secret-looking value in plain text only when the owner said so,
// otherwise in the keychain (as a secret of that server, named like the variable). Each stdio
// server's sandbox grant is proposed in the preview and stored as the owner ticked it (import-grants.ts).
import { ApiCallError } from '../../shared/api-contract';
import type { ConfigValue, McpServerConfig } from '../../shared/workspace-config';
import type { ApiHandlers } from '../../api/dispatcher';
import { parseMcpImport, looksLikeSecret, type ImportedServer } from '../../core/mcp-import';
import { consentFields, isLoaderVariable } from '../../core/mcp-catalog';
import { secretAccount } from '../../core/secret-account';
import { readWorkspace, saveWorkspace, withKeychain, type SettingsAreaDeps } from './deps';
import { placeImportedServers, relativePathsOfServers } from './import-folder';
import { importGrants, proposalFields, withGrant, withoutPastedGrant } from './import-grants';

type ImportHandlers = Pick<ApiHandlers, 'mcp.importPreview' | 'mcp.import'>;

interface Field {
  name: string;
  kind: 'env' | 'header';
  value: ConfigValue;
}

const fieldsOf = (config: McpServerConfig): Field[] =>
  'url' in config
    ? Object.entries(config.headers ?? {}).map(([name, value]) => ({ name, kind: 'header' as const, value }))
    : Object.entries(config.env ?? {}).map(([name, value]) => ({ name, kind: 'env' as const, value }));

const secretLooking = (field: Field) => typeof field.value === 'string' && looksLikeSecret(field.name, field.value);
const keyOf = (server: string, name: string) => JSON.stringify([server, name]);

export function createImportHandlers(deps: SettingsAreaDeps): ImportHandlers {
  const parse = (text: string): ImportedServer[] => {
    const result = parseMcpImport(text);
    if (!result.ok) throw new ApiCallError('INVALID_INPUT', result.message);
    return result.servers;
  };

  return {
    'mcp.importPreview': async ({ text, folder }) => {
      const existing = readWorkspace(deps).mcpServers;
      const placed = placeImportedServers(parse(text), folder, 'preview');
      // A pasted `sandbox` is a proposal (below), not part of the line approved unless sent back.
      const proposals = new Map(placed.map((s) => [s.name, proposalFields(s)]));
      const servers = placed.map(withoutPastedGrant);
      const relative = relativePathsOfServers(servers);
      return {
        servers: servers.map(({ name, config, notes }) => ({
          name,
          ...consentFields(config, { hideValue: looksLikeSecret }),
          transport: 'url' in config ? ('http' as const) : ('stdio' as const),
          clash: Object.hasOwn(existing, name),
          fields: fieldsOf(config).map((field) => {
            const looksSecret = secretLooking(field);
            return {
              name: field.name,
              kind: field.kind,
              looksSecret,
              ...(typeof field.value !== 'string' ? { reference: field.value } : looksSecret ? {} : { value: field.value }),
              ...(field.kind === 'env' && isLoaderVariable(field.name) ? { changesCode: true as const } : {}),
            };
          }),
          notes,
          relativePaths: relative.get(name) ?? [],
          ...proposals.get(name),
        })),
      };
    },

    'mcp.import': async ({ text, folder, moveToKeychain, keepPlain, grants: sentGrants }) => {
      const config = readWorkspace(deps);
      const parsed = parse(text);
      const clashes = parsed.filter((s) => Object.hasOwn(config.mcpServers, s.name)).map((s) => `"${s.name}"`);
      if (clashes.length) {
        throw new ApiCallError(
          'CONFLICT',
          `This bot already has MCP server${clashes.length > 1 ? 's' : ''} named ${clashes.join(', ')}: rename ${clashes.length > 1 ? 'them' : 'it'} in the pasted text, or remove the existing one first. Nothing was imported.`,
        );
      }
      // An OAuth client secret typed into the pasted text is never stored as it is.
      const plainClientSecret = parsed.filter((s) => typeof s.config.auth?.clientSecret === 'string').map((s) => `"${s.name}"`);
      if (plainClientSecret.length) {
        throw new ApiCallError(
          'INVALID_INPUT',
          `The pasted config has an OAuth client secret in plain text (${plainClientSecret.join(', ')}). Take it out of the text and import again, then enter the secret in the server's form: it goes to the keychain. Nothing was imported.`,
        );
      }
      const placed = placeImportedServers(parsed, folder, 'import');
      const grants = importGrants(placed, sentGrants);
      const servers = placed.map(withoutPastedGrant);
      const move = new Set(moveToKeychain.map((f) => keyOf(f.server, f.name)));
      const plain = new Set(keepPlain.map((f) => keyOf(f.server, f.name)));
      const fields = new Map(servers.flatMap((s) => fieldsOf(s.config).map((f) => [keyOf(s.name, f.name), f] as const)));
      for (const listed of [...moveToKeychain, ...keepPlain]) {
        const field = fields.get(keyOf(listed.server, listed.name));
        if (!field) throw new ApiCallError('INVALID_INPUT', `mcp.import: the pasted config has no server "${listed.server}" with a variable or header "${listed.name}".`);
        if (typeof field.value !== 'string') throw new ApiCallError('INVALID_INPUT', `mcp.import: "${listed.name}" of "${listed.server}" is already a reference, not a value.`);
      }
      const both = [...move].filter((k) => plain.has(k));
      if (both.length) throw new ApiCallError('INVALID_INPUT', `mcp.import: ${both.map((k) => JSON.parse(k).join('.')).join(', ')} cannot both move to the keychain and stay in plain text.`);
      const undecided = servers.flatMap((s) =>
        fieldsOf(s.config)
          .filter((f) => secretLooking(f) && !move.has(keyOf(s.name, f.name)) && !plain.has(keyOf(s.name, f.name)))
          .map((f) => `${f.name} of "${s.name}"`),
      );
      if (undecided.length) {
        throw new ApiCallError(
          'INVALID_INPUT',
          `These values look like secrets: ${undecided.join(', ')}. Choose for each: move it to the keychain, or keep it in plain text in the settings. Nothing was imported.`,
        );
      }

      // Secrets first; if the keychain fails, the ones stored so far are removed again and no settings change.
      const bot = deps.activeBot();
      const stored: string[] = [];
      const added: Record<string, McpServerConfig> = {};
      try {
        for (const server of servers) {
          const replaced: Record<string, ConfigValue> = {};
          for (const field of fieldsOf(server.config)) {
            if (typeof field.value === 'string' && move.has(keyOf(server.name, field.name))) {
              const account = secretAccount({ bot, scope: server.name, name: field.name });
              const value = field.value;
              await withKeychain(() => deps.secrets.set(account, value), `Nothing was imported: the value of ${field.name} could not be stored`);
              stored.push(account);
              replaced[field.name] = { secret: field.name };
            } else replaced[field.name] = field.value;
          }
          const withValues = 'url' in server.config ? { ...server.config, ...(server.config.headers ? { headers: replaced } : {}) } : { ...server.config, ...(server.config.env ? { env: replaced } : {}) };
          added[server.name] = withGrant(withValues, grants.get(server.name));
        }
      } catch (error) {
        for (const account of stored) await deps.secrets.delete(account).catch(() => false);
        throw error;
      }
      saveWorkspace(deps, { ...config, mcpServers: { ...config.mcpServers, ...added } });
      return { added: Object.keys(added), secretsStored: stored.length };
    },
  };
}
