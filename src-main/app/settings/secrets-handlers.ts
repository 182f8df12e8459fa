// secrets.*: the active bot's secrets in the OS keychain (account bot/<bot>/<scope>/<name>).
// Values go in and never come out: status says only whether each one is there.
import type { ApiHandlers } from '../../api/dispatcher';
import { KeychainUnavailableError } from '../../adapters/secrets/keychain-error';
import { secretAccount } from '../../core/secret-account';
import { secretRefsOf } from '../../core/secret-refs';
import { SettingsError } from '../../adapters/settings/settings-store';
import type { WorkspaceConfig } from '../../shared/workspace-config';
import { withKeychain, type SettingsAreaDeps } from './deps';

type SecretHandlers = Pick<ApiHandlers, 'secrets.set' | 'secrets.delete' | 'secrets.status'>;

export function createSecretHandlers(deps: SettingsAreaDeps): SecretHandlers {
  const account = (scope: string, name: string) => secretAccount({ bot: deps.activeBot(), scope, name });

  return {
    'secrets.set': async ({ scope, name, value }) => {
      await withKeychain(() => deps.secrets.set(account(scope, name), value), `The secret "${name}" was not stored`);
      return { stored: true as const };
    },

    'secrets.delete': async ({ scope, name }) => ({ deleted: await withKeychain(() => deps.secrets.delete(account(scope, name))) }),

    'secrets.status': async ({ secrets: asked }) => {
      let config: WorkspaceConfig | undefined;
      try {
        config = deps.settings.workspace(deps.activeBot());
      } catch (error) {
        if (!(error instanceof SettingsError)) throw error;
      }
      const byKey = new Map<string, { scope: string; name: string; usedBy: string[] }>();
      const entry = (scope: string, name: string) => {
        const key = JSON.stringify([scope, name]);
        let found = byKey.get(key);
        if (!found) byKey.set(key, (found = { scope, name, usedBy: [] }));
        return found;
      };
      for (const ref of config ? secretRefsOf(config) : []) entry(ref.scope, ref.name).usedBy.push(ref.field);
      for (const ref of asked ?? []) entry(ref.scope, ref.name);

      try {
        await deps.secrets.check();
      } catch (error) {
        if (!(error instanceof KeychainUnavailableError)) throw error;
        return { keychain: { available: false, problem: error.problem, message: error.message }, secrets: [...byKey.values()] };
      }
      const secrets = [];
      for (const item of byKey.values()) {
        // The value is read only to learn whether it exists; it is dropped right here.
        const present = (await withKeychain(() => deps.secrets.get(account(item.scope, item.name)))) !== undefined;
        secrets.push({ ...item, present });
      }
      return { keychain: { available: true }, secrets };
    },
  };
}
