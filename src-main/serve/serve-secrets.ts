// The secrets of a served data folder: <data dir>/secrets.enc, encrypted (AES-256-GCM) under the
// master key from the systemd credential "flowbot-master-key" or FLOWBOT_MASTER_KEY
// (adapters/secrets/encrypted-file-secrets.ts). Opened and checked at once: a missing key, or a
// key that does not open the file, fails before any bot starts, naming what is missing.
import { join } from 'node:path';
import { createEncryptedFileSecrets, readMasterKey } from '../adapters/secrets/encrypted-file-secrets';
import type { KeytarSecrets } from '../adapters/secrets/keytar-secrets';

export const SECRETS_FILE = 'secrets.enc';

export const serveSecretsFile = (dataDir: string): string => join(dataDir, SECRETS_FILE);

export async function openServeSecrets(dataDir: string, env: NodeJS.ProcessEnv): Promise<KeytarSecrets> {
  const secrets = createEncryptedFileSecrets({ file: serveSecretsFile(dataDir), masterKey: await readMasterKey(env) });
  await secrets.check();
  return secrets;
}
