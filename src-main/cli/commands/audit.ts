// flowbot audit verify|list|export
import { writeFileSync } from 'node:fs';
import { auditExportText } from '../../core/audit-export';
import { describeIssue } from '../../core/zod-issues';
import { openStore } from '../../adapters/store/sqlite-store';
import { readable } from '../../adapters/store/conversation-store';
import { databaseOption, databaseUrlOf, storageOf } from '../storage-option';
import { AuditExportFormatSchema, AuditFilterSchema, type AuditFilter } from '../../shared/api/audit';
import type { AuditRecord } from '../../shared/conversation';
import { InputError } from '../../app/input-error';
import { loadAuditKey, loadKeyedSince } from '../../app/audit-key';
import { createKeytarSecrets } from '../../adapters/secrets/keytar-secrets';
import type { SecretsPort } from '../../runtime/ports';
import { EXIT, UsageError, dataDirOf, dataDirOption, parse, printJson } from '../usage';

export interface AuditDeps {
  /** Where the audit chain's key is (default: the OS keychain). */
  secrets?: SecretsPort;
}

export async function auditCommand(argv: string[], deps: AuditDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return verify(rest, deps);
  if (sub === 'list') return list(rest);
  if (sub === 'export') return exportLog(rest);
  throw new UsageError(`audit needs "verify", "list" or "export"${sub ? `, not "${sub}"` : ''}`);
}

async function verify(argv: string[], deps: AuditDeps): Promise<number> {
  const { values } = parse(argv, { ...dataDirOption, ...databaseOption, json: { type: 'boolean' } }, false);
  const storage = await logStorage(values);
  try {
    const secrets = deps.secrets ?? createKeytarSecrets();
    const { key } = await loadAuditKey(secrets, { create: false });
    // Only with the key: the keychain's memory of where the log is keyed (a downgrade fails).
    const keyedSince = key ? await loadKeyedSince(secrets, storage.logId) : undefined;
    const store = storage.conversations(key ? { create: false, auditKey: key } : { create: false });
    const result = await Promise.resolve().then(() => store.verifyAudit(keyedSince)).finally(() => store.close());
    if (values.json) printJson(result);
    else if (result.ok) console.log(`Audit log intact: ${result.count} record${result.count === 1 ? '' : 's'}, hash chain verified.${keyedWords(result)}${unremembered(result, keyedSince)}`);
    else console.error(`Audit log BROKEN at record ${result.seq}: ${result.reason}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  } finally {
    await storage.close();
  }
}

/** The log's storage; a data folder without a log is a usage error (a mistyped --data-dir) before the keychain is asked. */
async function logStorage(values: { 'data-dir'?: string | boolean; database?: string | boolean }) {
  if (!databaseUrlOf(values)) openStore(dataDirOf(values), { create: false }).close();
  return storageOf(values, 'flowbot audit');
}

/** Whether the records are keyed, in words: a log without keyed records could have been rewritten by anyone who can write flowbot.db. */
function keyedWords(result: { count: number; keyedFrom?: number }): string {
  if (result.count === 0) return '';
  if (result.keyedFrom === 1) return " All records are keyed with this computer's audit key.";
  const unkeyed = result.keyedFrom === undefined ? 'No record is keyed' : `Records 1 to ${result.keyedFrom - 1} are not keyed (written before the key), the rest are`;
  return `\n${unkeyed}: an unkeyed record could have been rewritten by anyone who can write flowbot.db.`;
}

/** A keyed log the keychain has no note of (a moved or copied folder): a full downgrade would not be detected here. */
function unremembered(result: { keyedFrom?: number }, keyedSince: number | undefined): string {
  if (result.keyedFrom === undefined || keyedSince !== undefined) return '';
  return "\nThis computer's keychain has no note that this folder's log is keyed (a moved or copied folder): here, a log whose records were all rewritten as unkeyed would not be detected.";
}

const filterOptions = {
  bot: { type: 'string' },
  conversation: { type: 'string' },
  flow: { type: 'string' },
  server: { type: 'string' },
  tool: { type: 'string' },
  status: { type: 'string' },
  text: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

type FilterValues = { [K in keyof typeof filterOptions]?: string | boolean | undefined };

/** The command line's filters as the API's (same schema, same messages), or a usage error. */
function filterOf(values: FilterValues): AuditFilter {
  const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
  const candidate = {
    bot: text(values.bot),
    conversationId: text(values.conversation),
    flowId: text(values.flow),
    server: text(values.server),
    tool: text(values.tool),
    status: text(values.status),
    text: text(values.text),
    from: timeOption('--from', text(values.from)),
    to: timeOption('--to', text(values.to)),
  };
  const defined = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
  const parsed = AuditFilterSchema.safeParse(defined);
  if (!parsed.success) {
    const flags: Record<string, string> = { conversationId: 'conversation', flowId: 'flow' };
    const flag = (key: PropertyKey | undefined) => `--${flags[String(key)] ?? String(key)}`;
    throw new UsageError(parsed.error.issues.map((i) => `${flag(i.path[0])}: ${describeIssue(i, defined)}`).join('; '));
  }
  return parsed.data;
}

/** "2025-06-03", "2025-06-03T14:00" (local time), an ISO time with zone, or milliseconds since 1970. */
function timeOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00` : value);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new UsageError(`${flag}: "${value}" is not a date or time (e.g. 2025-06-03 or 2025-06-03T14:00)`);
  return ms;
}

async function list(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...dataDirOption, ...databaseOption, ...filterOptions, json: { type: 'boolean' }, limit: { type: 'string' } }, false);
  const filter = filterOf(values);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit: "${values.limit}" is not a whole number above 0`);
  const storage = await logStorage(values);
  const store = storage.conversations({ create: false });
  try {
    // Oldest first; with --limit, the most recent N.
    const all = await readable(store.auditLog.each(filter));
    const records = limit === undefined ? [...all] : newest(all, limit);
    if (values.json) {
      printJson({ records });
      return EXIT.ok;
    }
    if (records.length === 0) console.log(Object.keys(filter).length ? 'No audit records match.' : 'The audit log is empty.');
    for (const r of records) {
      const when = new Date(r.time).toISOString();
      console.log(`#${r.seq} ${when} ${r.status.toUpperCase()} ${r.server}.${r.tool} ${JSON.stringify(r.args)}`);
      console.log(`    ${r.bot !== undefined ? `bot ${r.bot}, ` : ''}conversation ${r.conversationId}, flow ${r.flowId}, step ${r.nodeId}, ${r.durationMs} ms` +
        `${r.confirmationId ? `, confirmation ${r.confirmationId}` : ''}${r.reason ? `\n    ${r.reason}` : ''}` +
        `${r.customerReply !== undefined ? `\n    the customer answered: ${JSON.stringify(r.customerReply)}` : ''}`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
    await storage.close();
  }
}

function newest(records: Iterable<AuditRecord>, limit: number): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const r of records) {
    out.push(r);
    if (out.length > limit) out.shift();
  }
  return out;
}

async function exportLog(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...dataDirOption, ...databaseOption, ...filterOptions, format: { type: 'string' }, out: { type: 'string' } }, false);
  const format = AuditExportFormatSchema.safeParse(values.format);
  if (!format.success) throw new UsageError(`audit export needs --format jsonl or --format csv${typeof values.format === 'string' ? `, not "${values.format}"` : ''}`);
  const filter = filterOf(values);
  const storage = await logStorage(values);
  const store = storage.conversations({ create: false });
  let exported: { text: string; count: number };
  try {
    exported = auditExportText(format.data, await readable(store.auditLog.each(filter)));
  } finally {
    await store.close();
    await storage.close();
  }
  if (typeof values.out !== 'string') {
    process.stdout.write(exported.text);
    return EXIT.ok;
  }
  try {
    writeFileSync(values.out, exported.text, { flag: 'wx' }); // never overwrites a file
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new InputError(`Cannot write ${values.out}: ${exists ? 'the file already exists (choose another name)' : (error as Error).message}`);
  }
  console.error(`Exported ${exported.count} audit record${exported.count === 1 ? '' : 's'} to ${values.out}.`);
  return EXIT.ok;
}
