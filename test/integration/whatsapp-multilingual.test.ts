// A two-language flow (pt-BR with an English translation, detectLanguage on) on WhatsApp, end to
// end: the scripted socket, the real keychain, SQLite, the real eld detector and the example CRM
// over MCP (its crm.json tells which tickets were created). A customer opening in English gets the
// English texts and the English confirmation; one opening in Portuguese the Portuguese ones,
// including the runtime's own words (retry, confirmation hint) and "sim" as yes. Both create
// the same kind of ticket, with the option saved as the flow's original ("Pagamento").
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarSecrets } from '../../src-main/adapters/secrets/keytar-secrets';
import { authKeyAccount } from '../../src-main/adapters/whatsapp/encrypted-auth-state';
import { customerTexts } from '../../src-main/shared/customer-texts';
import { textMessage } from '../fixtures/scripted-wa-socket';
import { requireTestKeyring } from '../support/keychain';
import { BOT, openHarness, type Harness } from '../support/whatsapp-harness';
import { edge, flow, flowText, line, n } from '../unit/flow-builders';

requireTestKeyring();

const PT = customerTexts('pt-BR');
const EN = customerTexts('en');

const bakery = flow(
  [
    n.start(),
    n.ask('ask-customer', { question: 'Olá! Qual é o seu número de cliente? (por exemplo c1)', saveAs: 'customerId' }),
    n.choice('ask-topic', ['Entrega', 'Pagamento'], { question: 'Sobre o que é o problema?', saveAs: 'topic' }),
    n.ask('ask-problem', { question: 'Descreva o problema em uma mensagem.', saveAs: 'problem' }),
    n.confirm('confirm', 'Posso abrir este chamado para você?'),
    n.tool('create', { server: 'crm', tool: 'create_ticket', saveAs: 'ticket', args: { customerId: '{{customerId}}', subject: '{{topic}}', description: '{{problem}}' } }),
    n.end('done', 'Pronto! Seu chamado é {{ticket.ticketId}}.'),
    n.end('cancelled', 'Tudo bem, não abri nada.'),
  ],
  [
    ...line('start', 'ask-customer', 'ask-topic'),
    edge('ask-topic', 'Entrega', 'ask-problem'),
    edge('ask-topic', 'Pagamento', 'ask-problem'),
    ...line('ask-problem', 'confirm'),
    edge('confirm', 'yes', 'create'),
    edge('confirm', 'no', 'cancelled'),
    edge('create', 'next', 'done'),
  ],
  {
    id: 'bakery-help',
    language: 'pt-BR',
    detectLanguage: true,
    translations: {
      en: {
        'ask-customer': { question: 'Hi! What is your customer number? (for example c1)' },
        'ask-topic': { question: 'What is the problem about?', options: ['Delivery', 'Payment'] },
        'ask-problem': { question: 'Please describe the problem in one message.' },
        confirm: { question: 'Shall I open this ticket for you?' },
        done: { text: 'Done! Your ticket is {{ticket.ticketId}}.' },
        cancelled: { text: 'OK, I have not opened anything.' },
      },
    },
  },
);

const secrets = createKeytarSecrets();
const ALICE = '31611111111@s.whatsapp.net';
const BRUNA = '5511911111111@s.whatsapp.net';
let dir: string;
let h: Harness;
let now: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowbot-wa-multilingual-'));
  now = Math.floor(Date.now() / 1000) * 1000;
  h = await openHarness(join(dir, 'data'), secrets, dir, {
    clock: { now: () => now },
    loadFlow: async () => ({ flow: bakery, source: flowText(bakery) }),
  });
  h.settings.update(BOT, { flowId: 'bakery-help' });
  await h.service.start();
  h.sockets.last().open();
  await h.service.idle();
});
afterEach(async () => {
  await h.close();
  await secrets.delete(authKeyAccount(BOT));
  rmSync(dir, { recursive: true, force: true });
});

const tickets = () => (JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')) as { tickets: Record<string, unknown>[] }).tickets;

/** The customer writes, a few seconds later by both clocks (so a confirmation has reached them). */
async function say(jid: string, text: string): Promise<string[]> {
  now += 3_000;
  const before = h.sentTo(jid).length;
  h.sockets.last().upsert([textMessage(jid, text, { timestamp: Math.floor(now / 1000) })]);
  await h.service.idle();
  return h.sentTo(jid).slice(before);
}

describe('a pt-BR flow with an English translation, speaking the customer\'s language', () => {
  it('English opening: English questions, options, confirmation and ending; the ticket as in Portuguese', async () => {
    expect(await say(ALICE, 'hi there')).toEqual(['Hi! What is your customer number? (for example c1)']);
    expect(await say(ALICE, 'c2')).toEqual(['What is the problem about?\n1. Delivery\n2. Payment']);
    expect(await say(ALICE, 'payment')).toEqual(['Please describe the problem in one message.']);
    const [confirmation] = await say(ALICE, 'I was charged twice');
    expect(confirmation).toMatch(/^Shall I open this ticket for you\?\n\n/);
    expect(confirmation).toContain('• customerId: "c2"');
    expect(confirmation).toContain('• subject: "Pagamento"');
    expect(confirmation!.endsWith(`\n\n${EN.confirmHint}`)).toBe(true);
    expect(tickets()).toEqual([]);

    expect(await say(ALICE, 'yes')).toEqual(['Done! Your ticket is T-1.']);
    expect(tickets()).toEqual([expect.objectContaining({ id: 'T-1', customerId: 'c2', subject: 'Pagamento', description: 'I was charged twice' })]);
  });

  it('Portuguese opening: Portuguese texts, the runtime\'s own words in Portuguese, "sim" confirms', async () => {
    expect(await say(BRUNA, 'oi, tudo bem?')).toEqual(['Olá! Qual é o seu número de cliente? (por exemplo c1)']);
    const question = 'Sobre o que é o problema?\n1. Entrega\n2. Pagamento';
    expect(await say(BRUNA, 'c1')).toEqual([question]);
    expect(await say(BRUNA, 'sei lá')).toEqual([PT.retry.replace('{question}', question)]);
    expect(await say(BRUNA, 'pagamento')).toEqual(['Descreva o problema em uma mensagem.']);
    const [confirmation] = await say(BRUNA, 'Fui cobrada duas vezes');
    expect(confirmation).toMatch(/^Posso abrir este chamado para você\?\n\n/);
    expect(confirmation).toContain('• subject: "Pagamento"');
    expect(confirmation!.endsWith(`\n\n${PT.confirmHint}`)).toBe(true);

    expect(await say(BRUNA, 'sim')).toEqual(['Pronto! Seu chamado é T-1.']);
    expect(tickets()).toEqual([expect.objectContaining({ id: 'T-1', customerId: 'c1', subject: 'Pagamento', description: 'Fui cobrada duas vezes' })]);
  });

  it('the language chosen is kept with the conversation across a restart; "no" declines in English', async () => {
    await say(ALICE, 'hello');
    await say(ALICE, 'c2');
    // The studio restarts: a fresh service on the same data folder, nothing kept in memory.
    await h.close();
    h = await openHarness(join(dir, 'data'), secrets, dir, { clock: { now: () => now }, loadFlow: async () => ({ flow: bakery, source: flowText(bakery) }) });
    await h.service.start();
    h.sockets.last().open();
    await h.service.idle();
    // "ok" tells no language: only the stored one can make this retry English.
    expect(await say(ALICE, 'ok')).toEqual([EN.retry.replace('{question}', 'What is the problem about?\n1. Delivery\n2. Payment')]);
    await say(ALICE, '1');
    await say(ALICE, 'The cake arrived squashed');
    expect(await say(ALICE, 'no')).toEqual(['OK, I have not opened anything.']);
    expect(tickets()).toEqual([]);
    const conversation = await h.workspace.store.getConversation(h.store.customer(BOT, ALICE)!.conversationId!);
    expect(conversation?.state.language).toBe('en');
  });
});
