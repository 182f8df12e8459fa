// The runner gives the engine the time a customer's message was sent, so answers like
// "amanhã" or "sábado" are read against the right day: the channel's time when it gives one,
// else the runner's clock. Real SQLite store; the flow uses no tools.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationRunner } from '../../src-main/runtime/conversation-runner';
import type { McpPort } from '../../src-main/runtime/ports';
import { classifierFromConfig } from '../../src-main/core/tool-policy';
import { createMcpHub } from '../../src-main/adapters/mcp/mcp-hub';
import { openStore, type SqliteStore } from '../../src-main/adapters/store/sqlite-store';
import { edge, flow, n } from '../unit/flow-builders';

/** Wednesday 2 December 2026, noon UTC (the same day from UTC-11 to UTC+11). */
const CLOCK = Date.UTC(2026, 11, 2, 12);
const DAY = 86_400_000;

let store: SqliteStore;
let mcp: McpPort;
beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'flowbot-answers-'));
  store = openStore(join(dir, 'data'));
  mcp = createMcpHub({ servers: {}, resolveValue: async () => '', cwd: dir });
});
afterEach(async () => {
  await mcp.close();
  store.close();
});

const pickup = flow(
  [n.start(), n.ask('when', { question: 'Which day do you pick up the cake?', answer: { kind: 'date' }, saveAs: 'day' }), n.end('end', 'See you on {{day}}!')],
  [edge('start', null, 'when'), edge('when', 'next', 'end')],
);

function runner() {
  const sent: string[] = [];
  const r = new ConversationRunner({
    flow: pickup,
    flowSource: 'test',
    store,
    mcp,
    channel: { send: async (_id, text) => void sent.push(text) },
    clock: { now: () => CLOCK },
    ids: { newId: () => 'conv-1' },
    classify: classifierFromConfig(undefined),
  });
  return { r, sent };
}

describe('relative dates through the runner', () => {
  it('"amanhã" is the day after the runner\'s clock when the channel gives no time', async () => {
    const { r, sent } = runner();
    const state = await r.start({ id: 'c1' });
    const done = await r.receive(state.conversationId, 'amanhã');
    expect(done.vars.day).toBe('2026-12-03');
    expect(sent.at(-1)).toBe('See you on 2026-12-03!');
  });

  it("the channel's time wins: a message sent a week earlier", async () => {
    const { r } = runner();
    const state = await r.start({ id: 'c1' });
    const done = await r.receive(state.conversationId, 'sábado', { sentAt: CLOCK - 7 * DAY });
    expect(done.vars.day).toBe('2026-11-28');
  });
});
