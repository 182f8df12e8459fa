// A cake order in each of the eight languages, end to end: the real `flowbot chat` process, the
// example CRM over stdio, SQLite. The flow is written in the language; everything the bot says
// of its own (retry, confirmation, yes/no hint) is in that language, no English text of the
// runtime reaches the customer; a hedged yes and a plain no decline, the plain yes writes exactly
// the call shown (the CRM's data file), and the quantity is read as the language writes numbers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process';
import { crmServer } from '../support/crm-workspace';
import { edge, flow, flowText, line, n } from '../unit/flow-builders';
import { CATALOGUES, CUSTOMER_TEXT_KEYS, fillText } from '../../src-main/shared/customer-texts';

interface Order {
  /** The flow's own texts, in the language. */
  howMany: string;
  confirm: string;
  subject: string;
  again: string;
  done: string;
  /** What the customer types. */
  unusable: string;
  quantity: string;
  hedgedYes: string;
  no: string;
  yes: string;
}

/** Per language: the quantity is written with the language's thousands separator (1200). */
const ORDERS: Record<string, Order> = {
  en: { howMany: 'How many cakes would you like?', confirm: 'Shall I place the order for {{qty}} cakes?', subject: 'Cake order', again: 'All right, nothing was ordered.', done: 'Order {{ticket.ticketId}} is placed!', unusable: 'lots', quantity: '1,200', hedgedYes: 'yes but tomorrow', no: 'no', yes: 'yes' },
  'pt-BR': { howMany: 'Quantos bolos você quer?', confirm: 'Posso fazer o pedido de {{qty}} bolos?', subject: 'Pedido de bolo', again: 'Tudo bem, nada foi pedido.', done: 'Pedido {{ticket.ticketId}} feito!', unusable: 'muitos', quantity: '1.200', hedgedYes: 'sim, mas amanhã', no: 'não', yes: 'sim' },
  es: { howMany: '¿Cuántas tartas quieres?', confirm: '¿Hago el pedido de {{qty}} tartas?', subject: 'Pedido de tarta', again: 'De acuerdo, no se pidió nada.', done: '¡Pedido {{ticket.ticketId}} hecho!', unusable: 'muchas', quantity: '1.200', hedgedYes: 'sí, pero mañana', no: 'no', yes: 'sí' },
  fr: { howMany: 'Combien de gâteaux voulez-vous ?', confirm: 'Je passe la commande de {{qty}} gâteaux ?', subject: 'Commande de gâteau', again: "D'accord, rien n'a été commandé.", done: 'Commande {{ticket.ticketId}} passée !', unusable: 'beaucoup', quantity: '1 200', hedgedYes: 'oui mais demain', no: 'non', yes: 'oui' },
  de: { howMany: 'Wie viele Kuchen möchten Sie?', confirm: 'Soll ich {{qty}} Kuchen bestellen?', subject: 'Kuchenbestellung', again: 'In Ordnung, es wurde nichts bestellt.', done: 'Bestellung {{ticket.ticketId}} ist aufgegeben!', unusable: 'viele', quantity: '1.200', hedgedYes: 'ja, aber morgen', no: 'nein', yes: 'ja' },
  it: { howMany: 'Quante torte desideri?', confirm: 'Posso ordinare {{qty}} torte?', subject: 'Ordine di torte', again: 'Va bene, non è stato ordinato nulla.', done: 'Ordine {{ticket.ticketId}} effettuato!', unusable: 'tante', quantity: '1.200', hedgedYes: 'sì, ma domani', no: 'no', yes: 'sì' },
  id: { howMany: 'Mau pesan berapa kue?', confirm: 'Boleh saya pesankan {{qty}} kue?', subject: 'Pesanan kue', again: 'Baik, tidak ada yang dipesan.', done: 'Pesanan {{ticket.ticketId}} sudah dibuat!', unusable: 'banyak', quantity: '1.200', hedgedYes: 'iya tapi besok', no: 'tidak', yes: 'iya' },
  tr: { howMany: 'Kaç pasta istersiniz?', confirm: '{{qty}} pasta için sipariş vereyim mi?', subject: 'Pasta siparişi', again: 'Tamam, sipariş verilmedi.', done: 'Sipariş {{ticket.ticketId}} verildi!', unusable: 'çok', quantity: '1.200', hedgedYes: 'evet ama yarın', no: 'hayır', yes: 'evet' },
};

const TOOLS = { create_ticket: 'write' } as const;
/** Each conversation is a CLI process and a CRM process; on a busy machine they take a while. */
const TIMEOUT_MS = 240_000;

function orderFlow(language: string | undefined, o: Order) {
  return flow(
    [
      n.start(),
      n.ask('qty', { question: o.howMany, answer: { kind: 'number' }, saveAs: 'qty' }),
      n.confirm('ok', o.confirm),
      n.tool('order', { server: 'crm', tool: 'create_ticket', saveAs: 'ticket', args: { customerId: 'c1', subject: `${o.subject} {{qty}}`, description: o.howMany } }),
      n.message('again', o.again),
      n.end('done', o.done),
    ],
    [...line('start', 'qty', 'ok'), edge('ok', 'yes', 'order'), edge('ok', 'no', 'again'), edge('again', 'next', 'ok'), edge('order', 'next', 'done')],
    { id: 'cake-order', ...(language !== undefined ? { language } : {}) },
  );
}

/** A folder of its own per conversation (workspace, data, CRM file): the languages run side by side. */
async function chat(language: string | undefined, o: Order, configExtra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), `flowbot-lang-${language ?? 'bot'}-`));
  const config = join(dir, 'workspace.json');
  writeFileSync(config, JSON.stringify({ mcpServers: { crm: crmServer(dir, { ...TOOLS }) }, ...configExtra }));
  const flowFile = join(dir, 'cake-order.flow.json');
  writeFileSync(flowFile, flowText(orderFlow(language, o)));
  const run = await runCli(['chat', flowFile, '--config', config, '--data-dir', join(dir, 'data'), '--json'], [o.unusable, o.quantity, o.hedgedYes, o.no, o.yes]);
  const tickets = (): unknown[] => JSON.parse(readFileSync(join(dir, 'crm', 'crm.json'), 'utf8')).tickets;
  return { ...run, tickets };
}

/** Every piece of the English runtime texts long enough to be recognised (placeholders cut out). */
const ENGLISH = CUSTOMER_TEXT_KEYS.flatMap((key) => CATALOGUES.en![key].split(/\{\w+\}/)).map((s) => s.trim()).filter((s) => s.length >= 4);

describe.concurrent('a cake order in the customer\'s language, through `flowbot chat`', () => {
  it.each(Object.keys(ORDERS))('%s', async (language) => {
    const o = ORDERS[language]!;
    const texts = CATALOGUES[language]!;
    const { code, events, messages, stderr, tickets } = await chat(language, o);
    expect(code, stderr).toBe(0);

    const args = { customerId: 'c1', description: o.howMany, subject: `${o.subject} 1200` };
    const shown = [
      o.confirm.replace('{{qty}}', '1200'),
      '',
      fillText(texts.callHeading, { tool: 'create_ticket', server: 'crm' }),
      `• customerId: "c1"\n• description: "${o.howMany}"\n• subject: "${o.subject} 1200"`,
      '',
      texts.confirmHint,
    ].join('\n');
    expect(messages).toEqual([
      o.howMany,
      fillText(texts.retry, { question: o.howMany }), // the unusable answer, asked again in the language
      shown,
      o.again, // the hedged yes declined
      shown,
      o.again, // the plain no declined
      shown,
      o.done.replace('{{ticket.ticketId}}', 'T-1'), // the plain yes confirmed
    ]);
    if (language !== 'en') {
      for (const message of messages) for (const english of ENGLISH) expect(message, `English "${english}" reached the customer`).not.toContain(english);
    }
    const calls = events.filter((e) => e.type === 'tool_call').map((e) => ({ status: e.status, args: e.args }));
    expect(calls).toEqual([
      { status: 'declined', args },
      { status: 'declined', args },
      { status: 'executed', args },
    ]);
    // Exactly the shown call, once, in the CRM's own file.
    expect(tickets()).toEqual([expect.objectContaining({ id: 'T-1', ...args, priority: 'normal' })]);
  }, TIMEOUT_MS);

  it("a flow that names no language speaks the bot's, with the owner's own wording", async () => {
    const o = ORDERS['pt-BR']!;
    const { code, messages, stderr, tickets } = await chat(undefined, o, {
      language: 'pt-BR',
      customerTexts: { 'pt-BR': { confirmHint: 'Manda SIM pra confirmar ou NÃO pra cancelar.' } },
    });
    expect(code, stderr).toBe(0);
    expect(messages[1]).toBe(fillText(CATALOGUES['pt-BR']!.retry, { question: o.howMany }));
    expect(messages[2]!.endsWith('\n\nManda SIM pra confirmar ou NÃO pra cancelar.')).toBe(true);
    expect(messages.at(-1)).toBe('Pedido T-1 feito!');
    expect(tickets()).toHaveLength(1);
  }, TIMEOUT_MS);
});
