// Baileys' AuthenticationState (creds + signal keys) kept in the WhatsApp store, each value
// sealed with AES-256-GCM. The 256-bit key lives in the OS keychain under the bot's scope
// (bot/<bot>/%40whatsapp/auth-key; "@whatsapp" is no MCP server name, so no server can be given it): the data dir alone never reveals the session keys, which are
// credentials (whoever has them can read and send as the owner's number).
// Values are (de)serialised with Baileys' BufferJSON (Buffers/Uint8Arrays survive the trip).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataTypeMap } from 'baileys';
import { secretAccount } from '../../core/secret-account';
import type { SecretsPort } from '../../runtime/ports';
import type { WhatsAppStore } from './whatsapp-store';

export const WHATSAPP_SCOPE = '@whatsapp';
export const AUTH_KEY_NAME = 'auth-key';
const CREDS = 'creds';

export const authKeyAccount = (bot: string): string => secretAccount({ bot, scope: WHATSAPP_SCOPE, name: AUTH_KEY_NAME });

export interface EncryptedAuthState {
  state: AuthenticationState;
  /** Persists the creds object (call on every creds.update, after merging it). */
  saveCreds(): Promise<void>;
  /** Whether a paired session (creds.registered or creds.me) is stored. */
  readonly hasSession: boolean;
}

export interface AuthStateDeps {
  bot: string;
  store: WhatsAppStore;
  secrets: SecretsPort;
}

/** Loads (or creates) the bot's auth state; a missing key means a fresh, unpaired session. */
export async function openEncryptedAuthState({ bot, store, secrets }: AuthStateDeps): Promise<EncryptedAuthState> {
  const account = authKeyAccount(bot);
  let keyText = await secrets.get(account);
  if (keyText === undefined) {
    // No key: whatever sealed rows are left cannot be read; start a clean session.
    await store.authClear(bot);
    keyText = randomBytes(32).toString('base64');
    await secrets.set(account, keyText);
  }
  const key = Buffer.from(keyText, 'base64');
  if (key.length !== 32) throw new Error(`The WhatsApp auth key of bot "${bot}" in the keychain (${account}) is not 32 bytes: log out and pair again.`);

  const seal = (name: string, value: unknown): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The row name is authenticated too: a sealed value cannot be moved to another row.
    cipher.setAAD(Buffer.from(`${bot}\0${name}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(value, BufferJSON.replacer), 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${body.toString('base64')}`;
  };
  const open = async (name: string): Promise<unknown> => {
    const sealed = await store.authGet(bot, name);
    if (sealed === undefined) return undefined;
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error(`WhatsApp auth value "${name}" of bot "${bot}" is damaged: log out and pair again.`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(`${bot}\0${name}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      return JSON.parse(text, BufferJSON.reviver) as unknown;
    } catch (err) {
      throw new Error(`WhatsApp auth value "${name}" of bot "${bot}" cannot be decrypted with the keychain's key (${(err as Error).message}): log out and pair again.`);
    }
  };

  const stored = (await open(CREDS)) as AuthenticationCreds | undefined;
  const creds: AuthenticationCreds = stored ?? initAuthCreds();
  if (!stored) await store.authSet(bot, [{ name: CREDS, sealed: seal(CREDS, creds) }]);

  const state: AuthenticationState = {
    creds,
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const out: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const id of ids) {
          let value = await open(`${type}:${id}`);
          if (value === undefined) continue;
          if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          out[id] = value as SignalDataTypeMap[T];
        }
        return out;
      },
      set: async (data) => {
        const entries: { name: string; sealed: string | null }[] = [];
        for (const [type, byId] of Object.entries(data)) {
          for (const [id, value] of Object.entries(byId ?? {})) {
            const name = `${type}:${id}`;
            entries.push({ name, sealed: value === null || value === undefined ? null : seal(name, value) });
          }
        }
        await store.authSet(bot, entries);
      },
      clear: async () => {
        await store.authClear(bot);
      },
    },
  };
  return {
    state,
    saveCreds: async () => {
      await store.authSet(bot, [{ name: CREDS, sealed: seal(CREDS, creds) }]);
    },
    get hasSession() {
      return Boolean(creds.registered || creds.me);
    },
  };
}

/** Logout: the sealed rows and the key go (a new pairing starts from nothing). */
export async function clearAuthState({ bot, store, secrets }: AuthStateDeps): Promise<void> {
  await store.authClear(bot);
  await secrets.delete(authKeyAccount(bot));
}
