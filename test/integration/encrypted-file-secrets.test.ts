import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEncryptedFileSecrets, MASTER_KEY_CREDENTIAL, MASTER_KEY_ENV, readMasterKey, SecretsFileError } from '../../src-main/adapters/secrets/encrypted-file-secrets';

const KEY = 'correct horse battery staple, long enough to be a key';
const SECRET = 'sk-live-5d41402abc4b2a76b9719d911017c592';
const fresh = () => join(mkdtempSync(join(tmpdir(), 'flowbot-secrets-')), 'secrets.enc');

describe('encrypted file secrets (flowbot serve without a keychain)', () => {
  it('stores, reads, lists and deletes secrets; the file holds neither names nor values in clear', async () => {
    const file = fresh();
    const secrets = createEncryptedFileSecrets({ file, masterKey: KEY });
    await secrets.set('bot/shop/OPENAI_KEY', SECRET);
    await Promise.all([secrets.set('bot/shop/CRM_TOKEN', 'crm-token-value'), secrets.set('bot/other/X', 'x-value')]);
    expect(await secrets.get('bot/shop/OPENAI_KEY')).toBe(SECRET);
    expect((await secrets.accounts('bot/shop/')).sort()).toEqual(['bot/shop/CRM_TOKEN', 'bot/shop/OPENAI_KEY']);

    const onDisk = readFileSync(file, 'utf8');
    for (const clear of [SECRET, 'crm-token-value', 'OPENAI_KEY', 'bot/shop', KEY]) expect(onDisk).not.toContain(clear);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // another process with the same key reads the same values
    expect(await createEncryptedFileSecrets({ file, masterKey: KEY }).get('bot/shop/CRM_TOKEN')).toBe('crm-token-value');
    expect(await secrets.delete('bot/shop/CRM_TOKEN')).toBe(true);
    expect(await secrets.delete('bot/shop/CRM_TOKEN')).toBe(false);
    expect(await secrets.get('bot/shop/CRM_TOKEN')).toBeUndefined();
  });

  it('refuses a wrong key or a changed file with a clear error and overwrites nothing', async () => {
    const file = fresh();
    await createEncryptedFileSecrets({ file, masterKey: KEY }).set('bot/shop/A', 'a-value');
    const before = readFileSync(file, 'utf8');
    const wrong = createEncryptedFileSecrets({ file, masterKey: 'another passphrase that is long enough!!' });
    await expect(wrong.get('bot/shop/A')).rejects.toThrow(/does not open .*secrets\.enc.*Nothing was overwritten/);
    await expect(wrong.set('bot/shop/B', 'b')).rejects.toBeInstanceOf(SecretsFileError);
    await expect(wrong.check()).rejects.toBeInstanceOf(SecretsFileError);
    expect(readFileSync(file, 'utf8')).toBe(before);

    const sealed = JSON.parse(before) as { data: string };
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0]! ^= 1;
    writeFileSync(file, JSON.stringify({ ...sealed, data: flipped.toString('base64') }));
    await expect(createEncryptedFileSecrets({ file, masterKey: KEY }).get('bot/shop/A')).rejects.toThrow(/does not open/);

    writeFileSync(file, 'OPENAI_KEY=plain');
    await expect(createEncryptedFileSecrets({ file, masterKey: KEY }).set('x', 'y')).rejects.toThrow(/not an encrypted secrets file.*Nothing was overwritten/);
    expect(readFileSync(file, 'utf8')).toBe('OPENAI_KEY=plain');
  });

  it('takes the master key from the systemd credential first, then the environment, and names what is missing', async () => {
    const credentials = mkdtempSync(join(tmpdir(), 'flowbot-cred-'));
    writeFileSync(join(credentials, MASTER_KEY_CREDENTIAL), `${KEY}\n`);
    expect(await readMasterKey({ CREDENTIALS_DIRECTORY: credentials, [MASTER_KEY_ENV]: 'x'.repeat(40) })).toBe(KEY);
    expect(await readMasterKey({ CREDENTIALS_DIRECTORY: mkdtempSync(join(tmpdir(), 'flowbot-cred-')), [MASTER_KEY_ENV]: 'y'.repeat(40) })).toBe('y'.repeat(40));
    await expect(readMasterKey({})).rejects.toThrow(new RegExp(`${MASTER_KEY_CREDENTIAL}.*${MASTER_KEY_ENV}`));
    await expect(readMasterKey({ [MASTER_KEY_ENV]: 'short' })).rejects.toThrow(/FLOWBOT_MASTER_KEY is 5 characters long: it needs at least 32/);
  });
});
