// serve's JSON-line log and its bounded stop (app/shutdown.ts): what the operator reads.
import { describe, expect, it } from 'vitest';
import { asLogCallback, createJsonLog } from '../../src-main/serve/json-log';
import { installShutdownHooks } from '../../src-main/app/shutdown';

const AT = Date.parse('2026-01-02T03:04:05.000Z');

describe('serve JSON log', () => {
  it('writes one JSON object per line: time, level, msg first; fields cannot overwrite them', () => {
    const lines: string[] = [];
    const log = createJsonLog((line) => lines.push(line), () => AT);
    log.warn('no flow is chosen', { bot: 'shop', level: 'debug', msg: 'x' });
    expect(lines).toEqual(['{"time":"2026-01-02T03:04:05.000Z","level":"warn","msg":"no flow is chosen","bot":"shop"}\n']);
  });

  it('turns the app’s (message, error?) callbacks into lines: an error makes it level error, a [whatsapp bot] prefix becomes fields', () => {
    const lines: string[] = [];
    const callback = asLogCallback(createJsonLog((line) => lines.push(line), () => AT));
    callback('[whatsapp shop] connected');
    callback('Stopping WhatsApp of shop failed:', new Error('socket hung up'));
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'connected', channel: 'whatsapp', bot: 'shop' },
      { time: '2026-01-02T03:04:05.000Z', level: 'error', msg: 'Stopping WhatsApp of shop failed', error: 'socket hung up' },
    ]);
  });
});

describe('the bounded stop', () => {
  it('exits with the "closed" code once everything closed', async () => {
    const exited = new Promise<number>((resolve) => {
      const remove = installShutdownHooks([{ close: async () => undefined }], { signals: ['SIGUSR2'], exit: (code) => (remove(), resolve(code)), exitCodes: { closed: 0, timedOut: 1 } });
    });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await exited).toBe(0);
  });

  it('reports what hung and exits with the "timed out" code when closing passes the bound', async () => {
    let reported = false;
    const exited = new Promise<number>((resolve) => {
      const remove = installShutdownHooks([{ close: () => new Promise<void>(() => undefined) }], {
        signals: ['SIGUSR2'],
        timeoutMs: 1,
        onTimeout: () => (reported = true),
        exit: (code) => (remove(), resolve(code)),
        exitCodes: { closed: 0, timedOut: 1 },
      });
    });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await exited).toBe(1);
    expect(reported).toBe(true);
  });
});
