// flowbot knowledge add|list|remove|search, as a separate process on a real data folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process';
import { hoursXlsx } from '../support/knowledge-files';

let dir: string;
let data: string;
const at = (...args: string[]) => [...args, '--data-dir', data, '--bot', 'padaria'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-cli-kb-'));
  data = join(dir, 'data');
  writeFileSync(join(dir, 'entrega.md'), '# Entrega\n\nEntregamos até as 20h, taxa de R$ 7,00.\n');
  writeFileSync(join(dir, 'hours.xlsx'), await hoursXlsx());
  writeFileSync(join(dir, 'broken.pdf'), '%PDF-1.7 truncated');
});

describe('flowbot knowledge', () => {
  it('adds files, reports a broken one by name (exit 1) and keeps the others, lists and searches them', async () => {
    const added = await runCli(at('knowledge', 'add', join(dir, 'entrega.md'), join(dir, 'broken.pdf'), join(dir, 'hours.xlsx'), '--collection', 'loja', '--language', 'pt-BR'));
    expect(added.code).toBe(1);
    const lines = added.events.map((e) => String(e.text));
    expect(lines).toEqual(['entrega.md: indexed, 1 passage', expect.stringMatching(/^FAILED broken\.pdf: it cannot be read as a PDF/), 'hours.xlsx: indexed, 1 passage']);

    const listed = await runCli(at('knowledge', 'list', '--json'));
    expect(listed.code).toBe(0);
    const [collection] = (listed.events[0] as unknown as { collections: { name: string; language: string; files: { name: string; status: string }[] }[] }).collections;
    expect(collection).toMatchObject({ name: 'loja', language: 'pt-BR' });
    expect(collection!.files.map((f) => `${f.name}:${f.status}`)).toEqual(['broken.pdf:failed', 'entrega.md:indexed', 'hours.xlsx:indexed']);

    const found = await runCli(at('knowledge', 'search', 'até que horas entregam?', '--json'));
    expect(found.code).toBe(0);
    expect(found.events[0]).toMatchObject({ query: 'até que horas entregam?', hits: [expect.objectContaining({ source: 'entrega.md', heading: 'Entrega', bm25: expect.any(Number) })] });

    const removed = await runCli(at('knowledge', 'remove', 'entrega.md', '--collection', 'loja', '--json'));
    expect(removed).toMatchObject({ code: 0, events: [{ removed: ['entrega.md'], missing: [] }] });
  }, 240_000);

  it('says which file is missing before adding anything', async () => {
    const missing = await runCli(at('knowledge', 'add', join(dir, 'hours.xlsx'), join(dir, 'nope.md')));
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('nope.md does not exist');
  }, 120_000);
});
