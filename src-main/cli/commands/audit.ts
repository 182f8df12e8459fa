// flowbot audit verify|list
import { openStore } from '../../adapters/store/sqlite-store';
import { EXIT, UsageError, dataDirOf, dataDirOption, parse, printJson } from '../usage';

export async function auditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return verify(rest);
  if (sub === 'list') return list(rest);
  throw new UsageError(`audit needs "verify" or "list"${sub ? `, not "${sub}"` : ''}`);
}

async function verify(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...dataDirOption, json: { type: 'boolean' } }, false);
  const store = openStore(dataDirOf(values), { create: false });
  try {
    const result = store.verifyAudit();
    if (values.json) printJson(result);
    else if (result.ok) console.log(`Audit log intact: ${result.count} record${result.count === 1 ? '' : 's'}, hash chain verified.`);
    else console.error(`Audit log BROKEN at record ${result.seq}: ${result.reason}`);
    return result.ok ? EXIT.ok : EXIT.failed;
  } finally {
    store.close();
  }
}

async function list(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...dataDirOption, json: { type: 'boolean' }, conversation: { type: 'string' } }, false);
  const store = openStore(dataDirOf(values), { create: false });
  try {
    const records = store.listAudit(values.conversation ? { conversationId: values.conversation } : {});
    if (values.json) {
      printJson({ records });
      return EXIT.ok;
    }
    if (records.length === 0) console.log('The audit log is empty.');
    for (const r of records) {
      const when = new Date(r.time).toISOString();
      console.log(`#${r.seq} ${when} ${r.status.toUpperCase()} ${r.server}.${r.tool} ${JSON.stringify(r.args)}`);
      console.log(`    conversation ${r.conversationId}, flow ${r.flowId}, step ${r.nodeId}, ${r.durationMs} ms` +
        `${r.confirmationId ? `, confirmation ${r.confirmationId}` : ''}${r.reason ? `\n    ${r.reason}` : ''}`);
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
