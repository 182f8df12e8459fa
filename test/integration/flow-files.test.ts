import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src-main/shared/flow';
import { createFlowRepository, FlowFileError, serialize, type FlowRepository } from '../../src-main/adapters/flow-files/flow-repository';
import { flowIdFromName, idCandidates } from '../../src-main/adapters/flow-files/flow-ids';
import { readTemplates } from '../../src-main/adapters/flow-files/templates';

const REPO_FLOWS = join(import.meta.dirname, '../../flows');

const flowNamed = (id: string, name = id): Flow => ({
  schemaVersion: 1,
  id,
  name,
  nodes: [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }],
  edges: [],
});

let root: string;
let dir: string;
let trashDir: string;
let repo: FlowRepository;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'flowbot-flow-files-'));
  dir = join(root, 'flows');
  trashDir = join(root, 'trash');
  repo = createFlowRepository({ dir, trashDir });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const visibleFiles = (folder: string) => readdirSync(folder).sort();

describe('flow ids', () => {
  it.each([
    ['Order help', 'order-help'],
    ['  Größe & Preis: Café!  ', 'grosse-preis-cafe'],
    ['订单', 'flow'],
    ['', 'flow'],
    ['CON', 'con-flow'],
    ['a'.repeat(100), 'a'.repeat(60)],
    ['---x---', 'x'],
  ])('%j -> %s', (name, id) => {
    expect(flowIdFromName(name)).toBe(id);
  });

  it('numbers candidates within the length limit', () => {
    const gen = idCandidates('a'.repeat(60));
    expect([gen.next().value, gen.next().value, gen.next().value]).toEqual(['a'.repeat(60), `${'a'.repeat(58)}-2`, `${'a'.repeat(58)}-3`]);
  });
});

describe('flow repository', () => {
  it('creates pretty JSON files with unique ids and lists them', async () => {
    const a = await repo.createUnique(flowNamed('x', 'Order help'), 'order-help');
    const b = await repo.createUnique(flowNamed('x', 'Order help'), 'order-help');
    expect([a.id, b.id]).toEqual(['order-help', 'order-help-2']);
    expect(b.flow.id).toBe('order-help-2');
    const text = readFileSync(join(dir, 'order-help-2.flow.json'), 'utf8');
    expect(text).toBe(serialize({ ...flowNamed('order-help-2', 'Order help') }));
    expect(text).toContain('\n  "nodes": [\n');
    expect(text.endsWith('}\n')).toBe(true);
    const listed = await repo.list();
    expect(listed.map((f) => [f.kind, f.id])).toEqual([
      ['flow', 'order-help'],
      ['flow', 'order-help-2'],
    ]);
    expect(visibleFiles(dir)).toEqual(['order-help-2.flow.json', 'order-help.flow.json']);
  });

  it('creates exclusively even when many creates race for one id', async () => {
    const created = await Promise.all(Array.from({ length: 12 }, () => repo.createUnique(flowNamed('x'), 'same')));
    expect(new Set(created.map((c) => c.id)).size).toBe(12);
    expect(visibleFiles(dir)).toHaveLength(12);
  });

  it('saves atomically over a valid flow and leaves no temp files', async () => {
    await repo.createUnique(flowNamed('faq', 'FAQ'), 'faq');
    const renamed = { ...flowNamed('faq', 'Questions'), description: 'new' };
    const { updatedAt } = await repo.save(renamed);
    expect(JSON.parse(readFileSync(join(dir, 'faq.flow.json'), 'utf8'))).toEqual(renamed);
    expect(updatedAt).toBe(statSync(join(dir, 'faq.flow.json')).mtimeMs);
    expect(visibleFiles(dir)).toEqual(['faq.flow.json']);
  });

  it('refuses to save a flow that has no file', async () => {
    await expect(repo.save(flowNamed('ghost'))).rejects.toMatchObject({ reason: 'not-found' });
    expect(() => readdirSync(dir)).toThrow();
  });

  it('refuses to save over a file changed since expectedUpdatedAt', async () => {
    const created = await repo.createUnique(flowNamed('faq'), 'faq');
    utimesSync(created.file, new Date(), new Date(Date.now() + 5000));
    const error = await repo.save(flowNamed('faq', 'Mine'), { expectedUpdatedAt: created.updatedAt }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowFileError);
    expect(error).toMatchObject({ reason: 'conflict', message: expect.stringContaining('changed on disk') });
    expect(JSON.parse(readFileSync(created.file, 'utf8')).name).toBe('faq');
  });

  describe('broken files', () => {
    const cases: [string, string, string, RegExp][] = [
      ['not JSON', 'bad.flow.json', '{ "schemaVersion": 1, "id": "bad", ', /FLOW_JSON_INVALID/],
      ['a step without its question', 'bad.flow.json', JSON.stringify({ ...flowNamed('bad'), nodes: [...flowNamed('bad').nodes, { id: 'q', type: 'ask', position: { x: 0, y: 0 }, data: { answer: { kind: 'text' } } }] }), /ASK_NO_QUESTION/],
      ['an id that is not the file name', 'bad.flow.json', JSON.stringify(flowNamed('other')), /FLOW_ID_MISMATCH/],
      ['a file name that is no id', 'Bad Name.flow.json', JSON.stringify(flowNamed('bad')), /FLOW_FILE_NAME_INVALID/],
      ['a newer format', 'bad.flow.json', JSON.stringify({ ...flowNamed('bad'), schemaVersion: 2 }), /FLOW_VERSION_UNSUPPORTED/],
    ];

    it.each(cases)('lists %s as broken with its problems', async (_what, name, text, code) => {
      await repo.createUnique(flowNamed('good'), 'good');
      writeFileSync(join(dir, name), text);
      const listed = await repo.list();
      const broken = listed.filter((f) => f.kind === 'broken');
      expect(broken).toHaveLength(1);
      const entry = broken[0]!;
      expect(entry.file).toBe(join(dir, name));
      expect(entry.kind === 'broken' && entry.problems.map((p) => p.code).join(' ')).toMatch(code);
      expect(entry.kind === 'broken' && entry.text).toBe(text);
      expect(listed.filter((f) => f.kind === 'flow').map((f) => f.id)).toEqual(['good']);
    });

    it.each(cases.filter(([, name]) => name === 'bad.flow.json'))('never overwrites %s', async (_what, name, text) => {
      await repo.createUnique(flowNamed('x'), 'x');
      writeFileSync(join(dir, name), text);
      const before = readFileSync(join(dir, name));
      const error = await repo.save(flowNamed('bad', 'Fixed?')).catch((e: unknown) => e);
      expect(error).toMatchObject({ reason: 'conflict', message: expect.stringMatching(/bad\.flow\.json on disk is not a valid flow .* not overwritten/) });
      expect(readFileSync(join(dir, name)).equals(before)).toBe(true);
      // Creating under its id picks another one instead of replacing it.
      const created = await repo.createUnique(flowNamed('x'), 'bad');
      expect(created.id).toBe('bad-2');
      expect(readFileSync(join(dir, name)).equals(before)).toBe(true);
    });

    it('ignores temp files, hidden files, other files and folders', async () => {
      await repo.createUnique(flowNamed('good'), 'good');
      writeFileSync(join(dir, '.good.flow.json.abc.tmp'), 'partial');
      writeFileSync(join(dir, '.hidden.flow.json'), '{');
      writeFileSync(join(dir, 'notes.txt'), 'x');
      const listed = await repo.list();
      expect(listed.map((f) => f.id)).toEqual(['good']);
    });
  });

  it('moves a deleted flow to the trash and restores it byte for byte', async () => {
    const created = await repo.createUnique(flowNamed('faq', 'FAQ'), 'faq');
    const bytes = readFileSync(created.file);
    const token = await repo.trash('faq');
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{16}$/);
    expect(visibleFiles(dir)).toEqual([]);
    expect(visibleFiles(trashDir)).toEqual([`${token}--faq.flow.json`]);
    const restored = await repo.restore(token);
    expect(restored).toMatchObject({ kind: 'flow', id: 'faq' });
    expect(readFileSync(created.file).equals(bytes)).toBe(true);
    expect(visibleFiles(trashDir)).toEqual([]);
    await expect(repo.restore(token)).rejects.toMatchObject({ reason: 'not-found' });
  });

  it('restores under a new id when the old one was taken meanwhile', async () => {
    await repo.createUnique(flowNamed('faq', 'Old'), 'faq');
    const token = await repo.trash('faq');
    await repo.createUnique(flowNamed('faq', 'New'), 'faq');
    const restored = await repo.restore(token);
    expect(restored).toMatchObject({ kind: 'flow', id: 'faq-2' });
    expect(restored.kind === 'flow' && restored.flow).toMatchObject({ id: 'faq-2', name: 'Old' });
    expect(JSON.parse(readFileSync(join(dir, 'faq.flow.json'), 'utf8')).name).toBe('New');
  });

  it('deletes and restores a broken file untouched; refuses when its id is taken by then', async () => {
    await repo.createUnique(flowNamed('x'), 'x');
    writeFileSync(join(dir, 'bad.flow.json'), '{ nope');
    const token = await repo.trash('bad');
    const restored = await repo.restore(token);
    expect(restored).toMatchObject({ kind: 'broken', id: 'bad' });
    expect(readFileSync(join(dir, 'bad.flow.json'), 'utf8')).toBe('{ nope');

    const again = await repo.trash('bad');
    await repo.createUnique(flowNamed('bad'), 'bad');
    await expect(repo.restore(again)).rejects.toMatchObject({ reason: 'conflict' });
    expect(readdirSync(trashDir)).toEqual([`${again}--bad.flow.json`]);
  });

  it('refuses tokens that are not ours (no path tricks)', async () => {
    for (const token of ['../flows/x', '..', 'abc', '', 'x--y', `${'a'.repeat(8)}-${'0'.repeat(16)}/../../x`]) {
      await expect(repo.restore(token)).rejects.toMatchObject({ reason: 'not-found' });
    }
    await expect(repo.trash('../x')).rejects.toMatchObject({ reason: 'not-found' });
    expect(await repo.read('../../etc/passwd')).toBeUndefined();
  });
});

describe('templates', () => {
  it("reads the repo's flows/ templates (and nothing else there)", async () => {
    const templates = await readTemplates(REPO_FLOWS);
    expect(templates.map((t) => t.id)).toEqual(['faq', 'order-status', 'support-ticket']);
    expect(templates.every((t) => t.flow.id === t.id)).toBe(true);
  });

  it('skips broken templates and a missing folder', async () => {
    writeFileSync(join(root, 'ok.flow.json'), JSON.stringify(flowNamed('ok')));
    writeFileSync(join(root, 'bad.flow.json'), '{');
    const logged: string[] = [];
    expect((await readTemplates(root, (m) => logged.push(m))).map((t) => t.id)).toEqual(['ok']);
    expect(logged.join()).toContain('bad.flow.json');
    expect(await readTemplates(join(root, 'missing'))).toEqual([]);
  });
});
