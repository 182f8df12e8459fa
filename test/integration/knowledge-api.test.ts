// The knowledge.* API through the dispatcher (what the web host and Electron carry): the active
// bot's collections, a file sent as base64 (a PDF made here) and a pasted text, progress events,
// cancel, remove, search with sources, and payloads that are wrong, each refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_FILE_MAX_BYTES } from '../../src-main/shared/api/knowledge';
import { bakeryPdf } from '../support/knowledge-files';
import { openTestStudio, type TestStudio } from '../support/studio-api';

let s: TestStudio;
let pdf: string;
beforeAll(async () => {
  s = openTestStudio();
  pdf = Buffer.from(await bakeryPdf()).toString('base64');
});
afterAll(async () => {
  await s.close();
});

const files = async () => ((await s.ok('knowledge.list')).collections as { name: string; files: { name: string; status: string; passages: number }[] }[]).flatMap((c) => c.files.map((f) => ({ collection: c.name, ...f })));

describe('knowledge API', () => {
  it('adds a PDF as base64 and a pasted text, reports progress, and finds passages with their sources', async () => {
    expect(await s.ok('knowledge.list')).toEqual({ bot: 'default', collections: [] });
    expect(await s.ok('knowledge.add', { collection: 'padaria', name: 'prices.pdf', base64: pdf, language: 'pt-BR' })).toEqual({ status: 'indexed', passages: 2 });
    const progress = s.events.filter((e) => e.event === 'knowledge.progress').map((e) => e.payload);
    expect(progress).toContainEqual({ bot: 'default', collection: 'padaria', name: 'prices.pdf', phase: 'parsing', done: 1, total: 2 });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', done: 2, total: 2 });
    expect(s.events.some((e) => e.event === 'knowledge.changed')).toBe(true);

    expect(await s.ok('knowledge.add', { collection: 'padaria', name: 'Entrega', text: '# Entrega\nEntregamos aos domingos até o meio-dia.' })).toEqual({ status: 'indexed', passages: 1 });
    expect(await s.ok('knowledge.add', { collection: 'padaria', name: 'prices.pdf', base64: pdf })).toEqual({ status: 'unchanged', passages: 2 });
    expect(await files()).toEqual([
      expect.objectContaining({ collection: 'padaria', name: 'Entrega.txt', status: 'indexed', passages: 1 }),
      expect.objectContaining({ collection: 'padaria', name: 'prices.pdf', status: 'indexed', passages: 2 }),
    ]);

    const { hits } = await s.ok('knowledge.search', { query: 'Vocês entregam no domingo?' });
    expect(hits[0]).toMatchObject({ collection: 'padaria', source: 'Entrega.txt' });
    expect(hits[0].text).toContain('Entregamos aos domingos');
    expect((await s.ok('knowledge.search', { query: 'cheese bread price', collections: ['padaria'] })).hits[0]).toMatchObject({ source: 'prices.pdf', page: 1 });
  });

  it('reports a broken file by name and keeps everything else', async () => {
    const before = await files();
    const result = await s.ok('knowledge.add', { collection: 'padaria', name: 'menu.docx', base64: Buffer.from('not a zip').toString('base64') });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^menu\.docx: /);
    const after = await files();
    expect(after.filter((f) => f.name !== 'menu.docx')).toEqual(before);
    expect(after.find((f) => f.name === 'menu.docx')).toMatchObject({ status: 'failed', passages: 0 });
  });

  it('cancels an indexing in progress: nothing of that file is kept', async () => {
    const off = s.studio.service.on((e) => {
      if (e.event === 'knowledge.progress' && e.payload.name === 'other.pdf' && e.payload.phase === 'parsing') void s.call('knowledge.cancel', { collection: 'padaria', name: 'other.pdf' });
    });
    try {
      expect(await s.ok('knowledge.add', { collection: 'padaria', name: 'other.pdf', base64: pdf })).toEqual({ status: 'cancelled' });
    } finally {
      off();
    }
    expect((await files()).map((f) => f.name)).not.toContain('other.pdf');
    expect(await s.ok('knowledge.cancel', { collection: 'padaria', name: 'other.pdf' })).toEqual({ cancelled: false });
  });

  it('removes a file, then the collection; NOT_FOUND for what is not there', async () => {
    await s.ok('knowledge.add', { collection: 'extra', name: 'note', text: 'A note.' });
    expect(await s.ok('knowledge.remove', { collection: 'extra', name: 'note.txt' })).toEqual({ removed: true });
    expect(await s.call('knowledge.remove', { collection: 'extra', name: 'note.txt' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no file "note.txt" in "extra".', text: { key: 'knowledge.noFile', params: { name: 'note.txt', collection: 'extra' } } } });
    expect(await s.ok('knowledge.remove', { collection: 'extra' })).toEqual({ removed: true });
    expect(await s.call('knowledge.search', { query: 'note', collections: ['extra'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no collection "extra".' } });
  });

  it.each([
    ['both a file and a text', { collection: 'c', name: 'a.txt', base64: 'QQ==', text: 'A' }, 'base64'],
    ['neither a file nor a text', { collection: 'c', name: 'a.txt' }, 'base64'],
    ['a name with a folder', { collection: 'c', name: '../etc/passwd', text: 'A' }, 'name'],
    ['a collection name that is not one', { collection: '', name: 'a.txt', text: 'A' }, 'collection'],
    ['bytes that are not base64', { collection: 'c', name: 'a.pdf', base64: 'not base64!' }, 'base64'],
    ['a field of the wrong type', { collection: 'c', name: 7, text: 'A' }, 'name'],
    ['an unknown field', { collection: 'c', name: 'a.txt', text: 'A', path: '/etc/passwd' }, 'path'],
  ])('refuses %s, naming the field', async (_what, input, field) => {
    const result = await s.call('knowledge.add', input);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(result.error!.message).toContain(field);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const result = await s.call('knowledge.add', { collection: 'c', name: 'big.pdf', base64: 'A'.repeat(Math.ceil(KNOWLEDGE_FILE_MAX_BYTES / 3) * 4 + 4) });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(result.error!.message).toBe(`knowledge.add: input.base64: must be at most ${Math.ceil(KNOWLEDGE_FILE_MAX_BYTES / 3) * 4} characters`);
    expect((await files()).map((f) => f.name)).not.toContain('big.pdf');
  });
});
