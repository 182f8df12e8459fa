// flowbot knowledge add FILE... | add --paste NAME | list | remove NAME | search QUESTION
// The bot's knowledge collections in the data dir's database (README "Answers from your
// documents"). With --config naming llm.embeddingModel, passages and questions are embedded too.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openKnowledgeBase, type AddResult, type KnowledgeBase } from '../../adapters/knowledge/knowledge-base';
import { createKeytarSecrets } from '../../adapters/secrets/keytar-secrets';
import { createRedactor } from '../../core/redact';
import { CollectionNameSchema, type KnowledgeHit } from '../../shared/knowledge';
import { LanguageTagSchema } from '../../shared/workspace-config';
import { loadConfig } from '../../app/load-config';
import { createValueResolver } from '../../app/resolve-value';
import { DEFAULT_BOT, createLlmEmbedder } from '../../app/workspace';
import { InputError } from '../../app/input-error';
import { EXIT, UsageError, botOf, botOption, dataDirOf, dataDirOption, parse, printJson } from '../usage';

export const DEFAULT_COLLECTION = 'documents';

const common = { ...dataDirOption, ...botOption, config: { type: 'string' }, json: { type: 'boolean' } } as const;

export async function knowledgeCommand(argv: string[], deps: { stdin?: NodeJS.ReadableStream } = {}): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') return add(rest, deps.stdin ?? process.stdin);
  if (sub === 'list') return list(rest);
  if (sub === 'remove') return remove(rest);
  if (sub === 'search') return search(rest);
  throw new UsageError(`knowledge needs "add", "list", "remove" or "search"${sub ? `, not "${sub}"` : ''}`);
}

function open(values: { 'data-dir'?: string | boolean; config?: string | boolean; bot?: string | boolean }): { kb: KnowledgeBase; bot: string } {
  const bot = botOf(values) ?? DEFAULT_BOT;
  const config = typeof values.config === 'string' ? loadConfig(values.config) : undefined;
  const resolveValue = createValueResolver({ bot, secrets: createKeytarSecrets(), env: process.env, redactor: createRedactor(), defaultBot: DEFAULT_BOT });
  const embedder = config?.llm ? createLlmEmbedder(config.llm, resolveValue) : undefined;
  return { kb: openKnowledgeBase({ dataDir: dataDirOf(values), ...(embedder ? { embedder } : {}) }), bot };
}

function collectionOf(value: string | boolean | undefined): string {
  const name = typeof value === 'string' ? value : DEFAULT_COLLECTION;
  const parsed = CollectionNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`--collection: "${name}": ${parsed.error.issues[0]!.message}`);
  return name;
}

async function add(argv: string[], stdin: NodeJS.ReadableStream): Promise<number> {
  const { values, positionals } = parse(argv, { ...common, collection: { type: 'string' }, language: { type: 'string' }, paste: { type: 'string' } });
  const collection = collectionOf(values.collection);
  if (values.language !== undefined && !LanguageTagSchema.safeParse(values.language).success) {
    throw new UsageError(`--language: "${values.language}" is not a language tag: write one like "en", "pt-BR" or "es"`);
  }
  if (positionals.length === 0 && values.paste === undefined) throw new UsageError('knowledge add needs files to add, or --paste NAME with the text on stdin');
  // Read every file first: a missing one is a usage problem before anything is indexed.
  const inputs = positionals.map((path) => ({ name: basename(path), bytes: readInput(path) }));
  if (values.paste !== undefined) inputs.push({ name: values.paste.endsWith('.txt') || values.paste.endsWith('.md') ? values.paste : `${values.paste}.txt`, bytes: await readAll(stdin) });
  const { kb, bot } = open(values);
  const controller = new AbortController();
  const cancel = () => controller.abort(new Error('cancelled'));
  process.once('SIGINT', cancel);
  const results: ({ file: string } & AddResult)[] = [];
  try {
    for (const input of inputs) {
      if (controller.signal.aborted) break;
      const result = await kb.addFile(bot, { collection, ...input, ...(values.language ? { language: values.language } : {}) }, { signal: controller.signal });
      results.push({ file: input.name, ...result });
      if (!values.json) console.log(resultLine(input.name, result));
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    process.stderr.write('flowbot: cancelled; the file being added was left as it was.\n');
  } finally {
    process.off('SIGINT', cancel);
    kb.close();
  }
  if (values.json) printJson({ collection, results });
  return results.some((r) => r.status === 'failed') || controller.signal.aborted ? EXIT.failed : EXIT.ok;
}

function resultLine(file: string, result: AddResult): string {
  if (result.status === 'failed') return `FAILED ${result.error}`;
  if (result.status === 'unchanged') return `${file}: unchanged (${plural(result.passages, 'passage')})`;
  return `${file}: indexed, ${plural(result.passages, 'passage')}${result.embedded ? `, ${result.embedded} embedded` : ''}`;
}

function list(argv: string[]): number {
  const { values } = parse(argv, common, false);
  const { kb, bot } = open(values);
  try {
    const collections = kb.list(bot);
    if (values.json) printJson({ collections });
    else if (collections.length === 0) console.log(`The bot "${bot}" has no knowledge collections yet. Add files with: flowbot knowledge add FILE --collection NAME`);
    for (const c of values.json ? [] : collections) {
      console.log(`${c.name} (${c.language}): ${plural(c.files.length, 'file')}`);
      for (const f of c.files) console.log(`  ${f.name}  ${f.status}  ${plural(f.passages, 'passage')}${f.error ? `  error: ${f.error}` : ''}`);
    }
    return EXIT.ok;
  } finally {
    kb.close();
  }
}

function remove(argv: string[]): number {
  const { values, positionals } = parse(argv, { ...common, collection: { type: 'string' } });
  const collection = collectionOf(values.collection);
  if (positionals.length === 0) throw new UsageError('knowledge remove needs the name of the file to remove');
  const { kb, bot } = open(values);
  try {
    const missing = positionals.filter((name) => !kb.removeFile(bot, collection, name));
    if (values.json) printJson({ removed: positionals.filter((n) => !missing.includes(n)), missing });
    else for (const name of positionals) console.log(missing.includes(name) ? `${name}: not in the collection "${collection}"` : `${name}: removed`);
    return missing.length ? EXIT.failed : EXIT.ok;
  } finally {
    kb.close();
  }
}

async function search(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...common, collection: { type: 'string', multiple: true }, limit: { type: 'string' } });
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('knowledge search needs a question, e.g. flowbot knowledge search "do you deliver on sunday?"');
  const limit = values.limit === undefined ? 5 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new UsageError(`--limit: "${values.limit}" is not a whole number from 1 to 50`);
  const { kb, bot } = open(values);
  try {
    const collections = values.collection?.length ? values.collection.map(collectionOf) : kb.list(bot).map((c) => c.name);
    const hits = collections.length ? await kb.search(bot, { collections, query, limit }) : [];
    if (values.json) printJson({ query, hits });
    else if (hits.length === 0) console.log('Nothing found.');
    else hits.forEach((hit, i) => console.log(hitText(i + 1, hit)));
    return EXIT.ok;
  } finally {
    kb.close();
  }
}

function hitText(n: number, hit: KnowledgeHit): string {
  const where = [hit.source, hit.page !== undefined ? `page ${hit.page}` : '', hit.heading].filter(Boolean).join(' · ');
  const scores = [`score ${hit.score.toFixed(4)}`, hit.bm25 !== undefined ? `bm25 ${hit.bm25.toFixed(3)}` : '', hit.similarity !== undefined ? `cosine ${hit.similarity.toFixed(3)}` : ''].filter(Boolean).join(', ');
  return `${n}. [${hit.collection}] ${where} (${scores})\n   ${hit.text.replace(/\n/g, '\n   ')}`;
}

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `The file ${path} does not exist` : `The file ${path} cannot be read: ${(error as Error).message}`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
