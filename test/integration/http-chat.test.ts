// The HTTP chat channel end to end: the route module (web/chat-routes.ts) on a plain node:http
// server, the chat service over a real workspace (SQLite, the example CRM over MCP, whose own
// crm.json tells whether a ticket was created), the support-ticket flow, the bot's API key in the
// encrypted secrets file. One server for the file; each test talks as its own customers.
// - A conversation with a confirmed write; a retry of the same messageId gets the same answer and
//   never a second write.
// - A "yes" that arrived before the question was asked is no answer (the question is asked again).
// - Wrong or missing credentials, unknown bots, bad payloads: plain, distinct refusals naming the field.
// - The web chat: a visitor session talks as its own customer only; the page is served with its CSP.
// - The studio's web host mounts the routes (its Host check first).
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src-main/app/workspace';
import { WorkspaceConfigSchema } from '../../src-main/shared/workspace-config';
import { createEncryptedFileSecrets } from '../../src-main/adapters/secrets/encrypted-file-secrets';
import { openHttpChatStore, type HttpChatStoreSync } from '../../src-main/adapters/store/http-chat-store';
import { createApiKeys } from '../../src-main/app/http-chat/api-key';
import { createHttpChatHandlers } from '../../src-main/app/http-chat/studio-handlers';
import { createHttpChatSettingsStore } from '../../src-main/adapters/settings/http-chat-settings';
import { createWhatsAppSettingsStore } from '../../src-main/adapters/settings/whatsapp-settings';
import { createFlowRepository } from '../../src-main/adapters/flow-files/flow-repository';
import { createHttpChat } from '../../src-main/app/http-chat/http-chat';
import { createWidgetSessions } from '../../src-main/app/http-chat/widget-sessions';
import type { BotRuntime, BotRuntimes } from '../../src-main/app/bot-runtime-port';
import { createChatRoutes, MAX_TEXT_CHARS } from '../../src-main/web/chat-routes';
import { WIDGET_CSP } from '../../src-main/web/chat-widget-page';
import { crmServer } from '../support/crm-workspace';
import { loadShippedFlow } from '../support/whatsapp-harness';

const BOT = 'shop';
const QUESTION = 'Shall I open this support ticket for you?';
const MASTER_KEY = 'a master key for the http chat test, long enough';

let dir: string;
let workspace: Workspace;
let store: HttpChatStoreSync;
let server: Server;
let base: string;
let apiKey: string;
let widgetOn = true;
/** Set by a test: the next message waits here before its flow runs (its customer's chain is busy). */
let hold: { reached: () => void; release: Promise<void> } | undefined;
/** Resolved when a message with this id is recorded (it arrived). */
const recorded = new Map<string, () => void>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-http-chat-'));
  const dataDir = join(dir, 'data');
  const secrets = createEncryptedFileSecrets({ file: join(dir, 'secrets.enc'), masterKey: MASTER_KEY });
  const config = WorkspaceConfigSchema.parse({ mcpServers: { crm: crmServer(dir, { get_order_status: 'read', search_customers: 'read', create_ticket: 'write' }) } });
  workspace = await openWorkspace({ bot: BOT, config, dataDir, secrets });
  const runtime: BotRuntime = {
    bot: BOT,
    workspace,
    async answeringFlow() {
      const waiting = hold;
      hold = undefined;
      if (waiting) {
        waiting.reached();
        await waiting.release;
      }
      return loadShippedFlow('support-ticket');
    },
  };
  const runtimes: BotRuntimes = { get: async (bot) => (bot === BOT ? runtime : undefined), list: () => [BOT], close: async () => undefined };
  const raw = openHttpChatStore(dataDir);
  store = {
    ...raw,
    record(bot, customer, message) {
      const fresh = raw.record(bot, customer, message);
      recorded.get(message.messageId)?.();
      return fresh;
    },
  };
  const keys = createApiKeys(secrets);
  apiKey = await keys.rotate(BOT);
  const chat = createHttpChat({ store: () => store, log: () => undefined });
  const { handleChatRequest } = createChatRoutes({ runtimes, chat, keys, widget: { enabled: () => widgetOn, sessions: createWidgetSessions() }, log: () => undefined });
  server = createServer((request, response) => {
    void handleChatRequest(request, response, new URL(request.url ?? '/', 'http://127.0.0.1')).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await workspace?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  messageId: string;
  conversationId: string;
  replies: string[];
  status: string;
}

async function call(path: string, init: { method?: string; body?: unknown; raw?: string; auth?: string | null; type?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': init.type ?? 'application/json' };
  const auth = init.auth === undefined ? apiKey : init.auth;
  if (auth !== null) headers.Authorization = `Bearer ${auth}`;
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const messages = (customer: string) => `/api/v1/bots/${BOT}/conversations/${customer}/messages`;
async function say(customer: string, text: string, messageId?: string, auth?: string): Promise<Answer> {
  const reply = await call(messages(customer), { body: { text, ...(messageId ? { messageId } : {}) }, ...(auth ? { auth } : {}) });
  expect(reply.status, reply.text).toBe(200);
  return reply.json as unknown as Answer;
}
const tickets = () => (JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')) as { tickets: { customerId: string; description: string }[] }).tickets;
const writes = async () => (await workspace.store.listAudit()).filter((r) => r.tool === 'create_ticket' && r.status === 'executed');

async function upToPriority(customer: string, problem: string): Promise<void> {
  expect((await say(customer, 'hi')).replies.join('\n')).toContain('customer number');
  await say(customer, 'c1');
  const asked = await say(customer, problem);
  expect(asked.replies.at(-1)).toContain('How urgent is it?');
  expect(asked.status).toBe('waiting_for_answer');
}

/** Resolves once the clock shows a later millisecond than now (a question asked after this cannot share its time). */
async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() <= now) await new Promise((resolve) => setImmediate(resolve));
}

describe('a conversation over HTTP', () => {
  it('asks, confirms and creates exactly the ticket shown; a retry of the same message gets the same answer and no second ticket', async () => {
    await upToPriority('alice', 'My lamp flickers');
    const question = await say('alice', 'high', 'alice-4');
    expect(question.status).toBe('confirmation_pending');
    expect(question.replies.at(-1)).toContain(QUESTION);
    expect(question.replies.at(-1)).toContain('• priority: "high"');

    const done = await say('alice', 'yes', 'alice-5');
    expect(done.status).toBe('ended');
    expect(done.replies).toHaveLength(1);
    expect(done.replies[0]).toMatch(/^Done! Your ticket number is \S+\. We will get back to you soon\.$/);
    expect(tickets()).toEqual([expect.objectContaining({ customerId: 'c1', description: 'My lamp flickers' })]);

    // The client did not get the answer and sends the message again (twice, at once).
    const retries = await Promise.all([say('alice', 'yes', 'alice-5'), say('alice', 'yes', 'alice-5')]);
    expect(retries).toEqual([done, done]);
    expect(tickets()).toHaveLength(1);
    expect((await writes()).filter((r) => r.conversationId === done.conversationId)).toHaveLength(1);

    const conversation = await call(`/api/v1/bots/${BOT}/conversations/alice`);
    expect(conversation.status).toBe(200);
    expect(conversation.json).toMatchObject({ conversationId: done.conversationId, status: 'ended' });
    const transcript = conversation.json!.transcript as { role: string; text: string }[];
    expect(transcript[0]).toMatchObject({ role: 'customer', text: 'hi' });
    expect(transcript.at(-1)).toMatchObject({ role: 'bot', text: done.replies[0] });
    // Each message once in the transcript, retries or not.
    expect(transcript.filter((e) => e.role === 'customer' && e.text === 'yes')).toHaveLength(1);

    // After the end, the next message starts a new conversation.
    const again = await say('alice', 'hello again');
    expect(again.conversationId).not.toBe(done.conversationId);
    expect(again.status).toBe('waiting_for_answer');
  });

  it('a "yes" that arrived before the question was asked is no answer: asked again, and a later "yes" creates the ticket', async () => {
    await upToPriority('ben', 'The printer jams');
    // "high" waits before its flow runs; meanwhile "yes" arrives (the client sent both together).
    let reached!: () => void;
    let release!: () => void;
    const atHold = new Promise<void>((resolve) => (reached = resolve));
    hold = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
    const high = say('ben', 'high', 'ben-4');
    await atHold;
    const yesArrived = new Promise<void>((resolve) => recorded.set('ben-5', resolve));
    const early = say('ben', 'yes', 'ben-5');
    await yesArrived;
    await nextMillisecond();
    release();

    const asked = await high;
    expect(asked.status).toBe('confirmation_pending');
    const answer = await early;
    expect(answer.status).toBe('confirmation_pending');
    expect(answer.replies).toEqual([asked.replies.at(-1)]); // the same question, asked again
    expect(tickets().filter((t) => t.description === 'The printer jams')).toEqual([]);

    const done = await say('ben', 'yes', 'ben-6');
    expect(done.status).toBe('ended');
    expect(tickets().filter((t) => t.description === 'The printer jams')).toHaveLength(1);
  });

  it('a retry after a crash between the flow’s step and the stored answer: the answer is rebuilt, the message not received twice', async () => {
    const first = await say('erin', 'hi', 'erin-1');
    // What the process did before it died: recorded "c1", marked the conversation, ran the step; no answer stored.
    const receivedAt = Date.now();
    store.record(BOT, 'erin', { messageId: 'erin-2', text: 'c1', receivedAt });
    store.begin(BOT, 'erin', 'erin-2', first.conversationId, (await workspace.store.transcript(first.conversationId, 1))[0]!.id);
    const { flow, source } = await loadShippedFlow('support-ticket');
    await workspace.runner(flow, source, {}).receive(first.conversationId, 'c1', { sentAt: receivedAt });

    const retried = await say('erin', 'c1', 'erin-2');
    expect(retried.conversationId).toBe(first.conversationId);
    expect(retried.replies).toEqual(['Thanks, Ana Souza! Please describe the problem in one message.']);
    const transcript = await workspace.store.transcript(first.conversationId, 100);
    expect(transcript.filter((e) => e.role === 'customer' && e.text === 'c1')).toHaveLength(1);
  });

  it('a retry after a crash between the message reaching the transcript and its step: it is handled then, once', async () => {
    const first = await say('fred', 'hi', 'fred-1');
    await nextMillisecond(); // the message arrives after the last committed step
    // What the process did before it died: recorded "c1", marked the conversation, the runner wrote it to the transcript; no step ran.
    const receivedAt = Date.now();
    store.record(BOT, 'fred', { messageId: 'fred-2', text: 'c1', receivedAt });
    store.begin(BOT, 'fred', 'fred-2', first.conversationId, (await workspace.store.transcript(first.conversationId, 1))[0]!.id);
    await workspace.store.addCustomerMessage(first.conversationId, 'c1', receivedAt);

    const retried = await say('fred', 'c1', 'fred-2');
    expect(retried.replies).toEqual(['Thanks, Ana Souza! Please describe the problem in one message.']);
    const transcript = await workspace.store.transcript(first.conversationId, 100);
    expect(transcript.filter((e) => e.role === 'customer' && e.text === 'c1')).toHaveLength(1);
    // A second retry changes nothing: the step consumed it.
    expect((await say('fred', 'c1', 'fred-2')).replies).toEqual(retried.replies);
    expect((await say('fred', 'The fan is loud', 'fred-3')).replies.at(-1)).toContain('How urgent is it?');
  });

  it('a messageId reused for another text is refused (409), not answered with the first answer', async () => {
    await say('carla', 'hi', 'carla-1');
    const reused = await call(messages('carla'), { body: { text: 'something else', messageId: 'carla-1' } });
    expect(reused.status).toBe(409);
    expect(reused.json).toMatchObject({ error: { code: 'message_id_conflict', field: 'messageId' } });
  });
});

describe('refusals', () => {
  it('no key, a wrong key, a malformed header: 401 with WWW-Authenticate; the flow never runs', async () => {
    for (const auth of [null, 'fbk_not-the-key', `${apiKey}x`, '']) {
      const reply = await call(messages('mallory'), { body: { text: 'hi' }, auth });
      expect(reply.status, String(auth)).toBe(401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="flowbot"');
      expect(reply.json).toMatchObject({ error: { code: 'unauthenticated' } });
      expect(reply.text).not.toContain(apiKey);
    }
    expect((await call(`/api/v1/bots/${BOT}/conversations/mallory`)).status).toBe(404);
  });

  it('an unknown bot: 404; a malformed id: 400 naming it', async () => {
    const unknown = await call(`/api/v1/bots/nobot/conversations/alice/messages`, { body: { text: 'hi' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'bot_not_found', message: 'There is no bot "nobot" running here.' } });
    const badBot = await call(`/api/v1/bots/${'b'.repeat(65)}/conversations/alice/messages`, { body: { text: 'hi' } });
    expect(badBot.status).toBe(400);
    expect(badBot.json).toMatchObject({ error: { field: 'bot' } });
    const badCustomer = await call(`/api/v1/bots/${BOT}/conversations/${encodeURIComponent('a b<')}/messages`, { body: { text: 'hi' } });
    expect(badCustomer.status).toBe(400);
    expect(badCustomer.json).toMatchObject({ error: { field: 'customer' } });
    expect((await call(`/api/v1/nothing`)).status).toBe(404);
    const wrongMethod = await call(messages('alice'), { method: 'PUT', raw: '{}' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('bad payloads: 400 naming the field, 413 for a huge body, 415 for anything but JSON', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ text: 42 }, 'text', /"text" must be a string/],
      [{}, 'text', /"text" must be a string/],
      [{ text: '   ' }, 'text', /must not be empty/],
      [{ text: 'x'.repeat(MAX_TEXT_CHARS + 1) }, 'text', /longer than 4000 characters/],
      [{ text: 'hi', messageId: 7 }, 'messageId', /"messageId" must be a string/],
      [{ text: 'hi', messageId: 'has spaces' }, 'messageId', /"messageId"/],
      [{ text: 'hi', extra: true }, 'extra', /Unknown field "extra"/],
      [['hi'], 'body', /must be a JSON object/],
    ];
    for (const [body, field, message] of cases) {
      const reply = await call(messages('dave'), { body });
      expect(reply.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(reply.json).toMatchObject({ error: { field } });
      expect((reply.json!.error as { message: string }).message).toMatch(message);
    }
    const notJson = await call(messages('dave'), { raw: '{"text": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ error: { code: 'invalid_json', field: 'body' } });
    const huge = await call(messages('dave'), { raw: JSON.stringify({ text: 'x'.repeat(100_000) }) });
    expect(huge.status).toBe(413);
    const form = await call(messages('dave'), { raw: 'text=hi', type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    // None of them reached the flow.
    expect((await call(`/api/v1/bots/${BOT}/conversations/dave`)).status).toBe(404);
  });
});

describe('the web chat', () => {
  it('a visitor session talks as its own customer only, and only while the web chat is on', async () => {
    const opened = await call(`/api/v1/bots/${BOT}/widget/sessions`, { method: 'POST', auth: null });
    expect(opened.status).toBe(201);
    const session = opened.json as { token: string; customer: string };
    expect(session.customer).toMatch(/^web-/);
    const answer = await say(session.customer, 'hi', undefined, session.token);
    expect(answer.replies.join('\n')).toContain('customer number');
    const other = await call(messages('alice'), { body: { text: 'hi' }, auth: session.token });
    expect(other.status).toBe(403);
    expect((await call(`/api/v1/bots/${BOT}/conversations/alice`, { auth: session.token })).status).toBe(403);
    const forged = await call(messages(session.customer), { body: { text: 'hi' }, auth: `${session.token.slice(0, -2)}AA` });
    expect(forged.status).toBe(401);

    widgetOn = false;
    try {
      expect((await call(messages(session.customer), { body: { text: 'hi' }, auth: session.token })).status).toBe(401);
      expect((await call(`/api/v1/bots/${BOT}/widget/sessions`, { method: 'POST', auth: null })).status).toBe(403);
      expect((await call(`/chat/${BOT}`, { auth: null })).status).toBe(404);
    } finally {
      widgetOn = true;
    }
  });

  it('the page and its assets: no inline script, a strict CSP', async () => {
    const page = await call(`/chat/${BOT}`, { auth: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(WIDGET_CSP);
    expect(page.text).toContain('data-bot="shop"');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page.text).not.toMatch(/ on[a-z]+=/);
    const script = await call('/chat/assets/widget.js', { auth: null });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await call('/chat/nobot', { auth: null })).status).toBe(404);
  });
});

describe('the owner’s controls (httpChat.* API methods)', () => {
  it('makes a key shown once, revokes it, picks the flow (the WhatsApp one by default) and switches the web chat', async () => {
    const dataDir = join(dir, 'owner');
    const flowsDir = join(dataDir, 'flows');
    mkdirSync(flowsDir, { recursive: true });
    copyFileSync(join('flows', 'support-ticket.flow.json'), join(flowsDir, 'support-ticket.flow.json'));
    const secrets = createEncryptedFileSecrets({ file: join(dataDir, 'secrets.enc'), masterKey: MASTER_KEY });
    const settings = createHttpChatSettingsStore({ dataDir });
    const whatsapp = createWhatsAppSettingsStore({ dataDir });
    const keys = createApiKeys(secrets);
    const handlers = createHttpChatHandlers({ activeBot: () => BOT, keys, settings, whatsapp, flows: createFlowRepository({ dir: flowsDir, trashDir: join(dataDir, 'trash') }) });

    expect(await handlers['httpChat.status']({})).toEqual({ bot: BOT, hasKey: false, widget: false });
    whatsapp.update(BOT, { flowId: 'support-ticket' });
    const made = await handlers['httpChat.rotateKey']({});
    expect(made.status).toEqual({ bot: BOT, hasKey: true, answeringFlowId: 'support-ticket', widget: false });
    expect(await keys.matches(BOT, made.apiKey)).toBe(true);
    expect(JSON.stringify(await handlers['httpChat.status']({}))).not.toContain(made.apiKey);

    await expect(handlers['httpChat.update']({ flowId: 'no-such-flow' })).rejects.toThrow('There is no flow "no-such-flow".');
    expect(await handlers['httpChat.update']({ flowId: 'support-ticket', widget: true })).toMatchObject({ flowId: 'support-ticket', widget: true });
    expect(await handlers['httpChat.update']({ flowId: null })).toEqual({ bot: BOT, hasKey: true, answeringFlowId: 'support-ticket', widget: true });

    expect(await handlers['httpChat.revokeKey']({})).toMatchObject({ hasKey: false });
    expect(await keys.matches(BOT, made.apiKey)).toBe(false);
  });
});
