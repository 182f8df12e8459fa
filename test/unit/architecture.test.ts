// The folder tree is the architecture (DESIGN §1): dependencies point downward only and no
// module imports itself back through others. Read from the sources, so a new import that
// breaks a rule fails here, naming the files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const srcMain = join(root, 'src-main');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function resolveImport(from: string, specifier: string, known: Set<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => known.has(candidate));
}

const files = sourceFiles(srcMain);
const known = new Set(files);
const graph = new Map<string, string[]>(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((match) => resolveImport(file, match[1] ?? match[2]!, known)).filter((target): target is string => target !== undefined);
    return [file, [...new Set(targets)]];
  }),
);
const name = (file: string): string => relative(srcMain, file);
const layerOf = (file: string): string => name(file).split('/')[0]!;

/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  shared: [],
  core: ['shared'],
  runtime: ['shared', 'core'],
  adapters: ['shared', 'core', 'runtime'],
  api: ['shared', 'core', 'runtime'],
  app: ['shared', 'core', 'runtime', 'adapters', 'api'],
  electron: ['shared', 'core', 'runtime', 'adapters', 'api', 'app'],
  web: ['shared', 'core', 'runtime', 'adapters', 'api', 'app'],
  // `flowbot serve`: runs the bots and serves the studio through the web host.
  serve: ['shared', 'core', 'runtime', 'adapters', 'api', 'app', 'web'],
  cli: ['shared', 'core', 'runtime', 'adapters', 'api', 'app', 'web', 'serve'],
};

describe('architecture', () => {
  it('knows every top-level folder of src-main', () => {
    expect([...new Set(files.map(layerOf))].filter((layer) => !(layer in ALLOWED))).toEqual([]);
  });

  it('points dependencies downward only (the web host does not import the Electron main process)', () => {
    const upward = files.flatMap((file) =>
      graph
        .get(file)!
        .filter((target) => layerOf(target) !== layerOf(file) && !ALLOWED[layerOf(file)]!.includes(layerOf(target)))
        .map((target) => `${name(file)} -> ${name(target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycles (type-only imports included)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const target of graph.get(file)!) {
        if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].map(name).join(' -> '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps the renderer off src-main except shared types', () => {
    const renderer = sourceFiles(join(root, 'src-renderer'));
    const reaching = renderer.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(IMPORT)]
        .map((match) => match[1] ?? match[2]!)
        .filter((specifier) => specifier.includes('src-main/') && !/src-main\/shared\//.test(specifier))
        .map((specifier) => `${relative(root, file)} -> ${specifier}`),
    );
    expect(reaching).toEqual([]);
  });
});
