// Connecting to WhatsApp that cannot succeed leaves "connecting" and says why and what to do:
// the keychain holding the session key is unavailable, the socket cannot be made, or WhatsApp
// does not answer in time (the timeout is injected, so nothing here waits long).
// Real SQLite and the real keychain, except where the keychain's failure is the case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { KeychainUnavailableError } from '../../src-main/adapters/secrets/keychain-error';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import type { SecretsPort } from '../../src-main/runtime/ports';
import { requireTestKeyring } from '../support/keychain';
import { BOT, openHarness, waitFor, type Harness, type HarnessOptions } from '../support/whatsapp-harness';

requireTestKeyring();

const keychain = createKeytarSecrets();
let dir: string | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  await keychain.delete(authKeyAccount(BOT));
  if (dir) rmSync(dir, { recursive: true, force: true });
  h = undefined;
  dir = undefined;
});

async function harness(secrets: SecretsPort, options: HarnessOptions = {}): Promise<Harness> {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-fail-'));
  h = await openHarness(join(dir, 'data'), secrets, dir, options);
  return h;
}

const lastStatus = (x: Harness) => x.events.filter((e) => e.type === 'status').at(-1);

describe('connecting that fails says why', () => {
  it('the keychain is unavailable: failed, with what to do; no socket is made', async () => {
    const locked: SecretsPort = {
      get: async () => {
        throw new KeychainUnavailableError('unavailable', 'The name org.freedesktop.secrets was not provided by any .service files');
      },
      set: async () => undefined,
      delete: async () => false,
    };
    const x = await harness(locked);
    await x.service.start();
    expect(x.service.status()).toBe('failed');
    expect(x.service.channel.snapshot()).toEqual({
      status: 'failed',
      detail: expect.stringMatching(/^The keychain .* cannot be used .*Unlock it .*press Connect again\.$/),
    });
    expect(x.sockets.sockets).toHaveLength(0);
    expect(x.events).toContainEqual({ type: 'log', level: 'error', message: expect.stringContaining('org.freedesktop.secrets') });
  });

  it('the socket cannot be made: failed, saying WhatsApp could not be reached', async () => {
    const x = await harness(keychain, {
      socketFactory: () => {
        throw new Error('getaddrinfo ENOTFOUND web.whatsapp.com');
      },
    });
    await x.service.start();
    expect(x.service.status()).toBe('failed');
    expect(lastStatus(x)).toEqual({
      type: 'status',
      status: 'failed',
      detail: 'WhatsApp could not be reached (getaddrinfo ENOTFOUND web.whatsapp.com). Check the internet connection, then press Connect again.',
    });
  });

  it('WhatsApp does not answer in time: failed, the socket closed; Connect tries again', async () => {
    const x = await harness(keychain, { connectTimeoutMs: 30 });
    await x.service.start();
    const silent = x.sockets.last();
    await waitFor('the connect timeout', () => x.service.status() === 'failed');
    expect(lastStatus(x)).toMatchObject({ status: 'failed', detail: expect.stringContaining('WhatsApp did not answer within') });
    expect(silent.ended).toBe(true);

    await x.service.start();
    expect(x.sockets.sockets).toHaveLength(2);
    x.sockets.last().open();
    await waitFor('open', () => x.service.status() === 'open');
  });

  it('a QR code in time stops the timeout', async () => {
    const x = await harness(keychain, { connectTimeoutMs: 30 });
    await x.service.start();
    x.sockets.last().qr('2@scripted-qr-ref,abc,def');
    await waitFor('pairing', () => x.service.status() === 'pairing');
    // Longer than the timeout: an armed timer would have failed the connection by now.
    await new Promise((r) => setTimeout(r, 100));
    expect(x.service.status()).toBe('pairing');
  });
});
