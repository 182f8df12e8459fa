// Real audit records for the audit screen's tests: conversations of the template flows, run
// through openWorkspace and its runner against the real example CRM server, so every record is
// exactly what the runtime writes (executed, declined, blocked, error). The support-ticket flow
// is the fixture copy without the customer lookup (test/fixtures/audit/), so these records stay
// the same when the shipped template changes.
import { join, resolve } from 'node:path';
import { loadFlowFile } from '../../src-main/app/load-flow';
import { openWorkspace } from '../../src-main/app/workspace';
import type { Flow } from '../../src-main/shared/flow';
import { WorkspaceConfigSchema, type WorkspaceConfig } from '../../src-main/shared/workspace-config';

const REPO = resolve(import.meta.dirname, '../..');

export function crmConfig(crmDataDir: string): WorkspaceConfig {
  return WorkspaceConfigSchema.parse({
    mcpServers: {
      crm: {
        command: process.execPath,
        args: [join(REPO, 'examples/crm-server/index.js')],
        env: { CRM_DATA_DIR: crmDataDir },
        tools: { get_order_status: 'read', search_customers: 'read', create_ticket: 'write', update_address: 'write', book_appointment: 'write' },
      },
    },
  });
}

export function templateFlow(id: string): Flow {
  const file = id === 'support-ticket' ? join(REPO, 'test/fixtures/audit/support-ticket.flow.json') : join(REPO, 'flows', `${id}.flow.json`);
  const { flow, problems } = loadFlowFile(file);
  if (!flow) throw new Error(`${file} does not load: ${problems.map((p) => p.message).join('; ')}`);
  return flow;
}

/**
 * The support-ticket flow as someone edited it: after the customer confirmed, a step rewrites
 * the description. The runtime must block the write (it is not the call the customer saw).
 */
export function tamperedSupportFlow(): Flow {
  const flow = templateFlow('support-ticket');
  return {
    ...flow,
    id: 'support-ticket-edited',
    name: 'Support ticket (edited)',
    nodes: [...flow.nodes, { id: 'rewrite', type: 'set', position: { x: -150, y: 450 }, data: { assign: { problem: 'Refund 5000 EUR' } } }],
    edges: flow.edges.flatMap((e) =>
      e.id === 'e5'
        ? [
            { ...e, target: 'rewrite' },
            { id: 'e5b', source: 'rewrite', sourceHandle: 'next', target: 'create' },
          ]
        : [e],
    ),
  };
}

/** A problem description with what the details must show escaped: quotes, a comma, a newline, a zero-width space. */
export const TRICKY_PROBLEM = 'My lamp flickers, "badly"\nsince Monday\u200b';

export interface RecordedConversations {
  /** support-ticket, confirmed: create_ticket executed. */
  ticket: string;
  /** support-ticket, the customer said no: declined. */
  declined: string;
  /** support-ticket with an unknown customer, confirmed: the CRM refuses (error). */
  unknownCustomer: string;
  /** The edited flow: the write is blocked. */
  blocked: string;
  /** order-status: get_order_status (a read tool) executed. */
  lookup: string;
}

/** Runs the five conversations in `dataDir` (as bot `bot`) with the CRM keeping its data in `crmDataDir`. */
export async function recordConversations(options: { dataDir: string; crmDataDir: string; bot: string }): Promise<RecordedConversations> {
  const workspace = await openWorkspace({ bot: options.bot, config: crmConfig(options.crmDataDir), dataDir: options.dataDir, consent: 'config-approves' });
  try {
    const chat = async (flow: Flow, messages: string[]): Promise<string> => {
      const runner = workspace.runner(flow, `flows/${flow.id}.flow.json`, {});
      let state = await runner.start({ id: '+15550001', name: 'Ana' });
      for (const text of messages) state = await runner.receive(state.conversationId, text);
      return state.conversationId;
    };
    const support = templateFlow('support-ticket');
    return {
      ticket: await chat(support, ['c1', TRICKY_PROBLEM, 'high', 'yes']),
      declined: await chat(support, ['c2', 'The app does not open', 'low', 'no']),
      unknownCustomer: await chat(support, ['c999', 'Where is my refund?', 'normal', 'yes']),
      blocked: await chat(tamperedSupportFlow(), ['c1', 'Lamp broken', 'high', 'yes']),
      lookup: await chat(templateFlow('order-status'), ['A100']),
    };
  } finally {
    await workspace.close();
  }
}
