#!/usr/bin/env node
// A small CRM as an MCP server over stdio: customers, orders, tickets, appointments.
// Data lives in $CRM_DATA_DIR/crm.json (seeded on first run). Used by flows/ and the tests.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const dataDir = process.env.CRM_DATA_DIR;
if (!dataDir) {
  process.stderr.write('crm-server: CRM_DATA_DIR is not set. Set it to the folder that holds (or will hold) crm.json.\n');
  process.exit(1);
}
const dataFile = path.join(dataDir, 'crm.json');

const SEED = {
  customers: [
    { id: 'c1', name: 'Ana Souza', phone: '+55 11 91234-5678', email: 'ana@example.com', address: 'Rua das Flores 12, São Paulo' },
    { id: 'c2', name: 'Ben Carter', phone: '+44 20 7946 0018', email: 'ben.carter@example.com', address: '4 Mill Lane, London' },
    { id: 'c3', name: 'Chidi Okafor', phone: '+234 802 555 0143', email: 'chidi@example.com', address: '15 Allen Avenue, Lagos' },
  ],
  orders: [
    { id: 'A100', customerId: 'c1', status: 'shipped', items: ['Blue mug x2'], eta: '2025-06-03' },
    { id: 'A101', customerId: 'c1', status: 'processing', items: ['Tea set'], eta: '2025-06-10' },
    { id: 'A102', customerId: 'c2', status: 'delivered', items: ['Notebook x3', 'Pen'], eta: null },
    { id: 'A103', customerId: 'c3', status: 'cancelled', items: ['Desk lamp'], eta: null },
  ],
  tickets: [],
  appointments: [],
};

// Read on every call, so edits by other processes (or a person) are seen.
function load() {
  if (!existsSync(dataFile)) save(SEED);
  return JSON.parse(readFileSync(dataFile, 'utf8'));
}

// Write a temp file and rename it over the old one: a crash never leaves half a file.
function save(db) {
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${dataFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(db, null, 2)}\n`);
  renameSync(tmp, dataFile);
}

const ok = (text, structuredContent) => ({ content: [{ type: 'text', text }], structuredContent });
const fail = (text) => ({ content: [{ type: 'text', text }], isError: true });
const findCustomer = (db, id) => db.customers.find((c) => c.id === id);
const nextId = (prefix, list) => `${prefix}${1 + Math.max(0, ...list.map((x) => Number(x.id.slice(prefix.length)) || 0))}`;

const customerShape = { id: z.string(), name: z.string(), phone: z.string(), email: z.string(), address: z.string() };
const READ = { readOnlyHint: true, openWorldHint: false };

const server = new McpServer(
  { name: 'flowbot-example-crm', title: 'Example CRM', version: '1.0.0' },
  { instructions: 'A small CRM: look up orders and customers (read), open support tickets, change addresses and book appointments (write).' },
);

server.registerTool(
  'get_order_status',
  {
    title: 'Get order status',
    description: 'Look up an order by its id (for example "A100") and return its status and expected delivery date.',
    inputSchema: { orderId: z.string().min(1).describe('The order id, e.g. "A100"') },
    outputSchema: { orderId: z.string(), status: z.string(), eta: z.string().nullable(), customerId: z.string() },
    annotations: READ,
  },
  async ({ orderId }) => {
    const order = load().orders.find((o) => o.id.toLowerCase() === orderId.trim().toLowerCase());
    if (!order) return fail(`No order with id "${orderId}" was found.`);
    const eta = order.eta ? `, expected ${order.eta}` : '';
    return ok(`Order ${order.id} is ${order.status}${eta}.`, {
      orderId: order.id, status: order.status, eta: order.eta, customerId: order.customerId,
    });
  },
);

server.registerTool(
  'search_customers',
  {
    title: 'Search customers',
    description: 'Find a customer by their customer number (for example "c1"), or customers whose name, phone or email contains the query (case-insensitive).',
    inputSchema: { query: z.string().min(1).describe('A customer number, or part of a name, phone number or email') },
    outputSchema: { customers: z.array(z.object(customerShape)) },
    annotations: READ,
  },
  async ({ query }) => {
    const q = query.trim().toLowerCase();
    const digits = q.replace(/\D/g, '');
    const customers = load().customers.filter(
      (c) =>
        c.id.toLowerCase() === q ||
        c.name.toLowerCase().includes(q) ||
        c.email.toLowerCase().includes(q) ||
        c.phone.includes(q) ||
        // "+44 20 7946 0018" should match "2079460018"
        (digits.length >= 3 && c.phone.replace(/\D/g, '').includes(digits)),
    );
    const text = customers.length
      ? customers.map((c) => `${c.id}: ${c.name}, ${c.phone}, ${c.email}`).join('\n')
      : `No customer matches "${query}".`;
    return ok(text, { customers });
  },
);

server.registerTool(
  'create_ticket',
  {
    title: 'Create support ticket',
    description: 'Open a support ticket for a customer. Returns the new ticket id.',
    inputSchema: {
      customerId: z.string().min(1),
      subject: z.string().min(1).max(200),
      description: z.string().min(1).max(5000),
      priority: z.enum(['low', 'normal', 'high']).optional().describe('Defaults to "normal"'),
    },
    outputSchema: { ticketId: z.string() },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
  async ({ customerId, subject, description, priority }) => {
    const db = load();
    if (!findCustomer(db, customerId)) return fail(`No customer with id "${customerId}" was found.`);
    const ticketId = nextId('T-', db.tickets);
    db.tickets.push({
      id: ticketId, customerId, subject, description, priority: priority ?? 'normal', status: 'open',
      createdAt: new Date().toISOString(),
    });
    save(db);
    return ok(`Ticket ${ticketId} was created.`, { ticketId });
  },
);

server.registerTool(
  'update_address',
  {
    title: 'Update customer address',
    description: "Replace a customer's postal address with a new one.",
    inputSchema: { customerId: z.string().min(1), address: z.string().min(3).max(500) },
    outputSchema: { customerId: z.string(), address: z.string() },
    // The old address is overwritten (destructive); setting the same address twice is harmless.
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  },
  async ({ customerId, address }) => {
    const db = load();
    const customer = findCustomer(db, customerId);
    if (!customer) return fail(`No customer with id "${customerId}" was found.`);
    customer.address = address.trim();
    save(db);
    return ok(`The address of ${customer.name} is now: ${customer.address}`, { customerId, address: customer.address });
  },
);

server.registerTool(
  'book_appointment',
  {
    title: 'Book appointment',
    description: 'Book an appointment for a customer at a date and time. A slot that is already taken is refused.',
    inputSchema: {
      customerId: z.string().min(1),
      date: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'date must be YYYY-MM-DD'),
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM (24 h)'),
      topic: z.string().max(200).optional(),
    },
    outputSchema: { appointmentId: z.string(), date: z.string(), time: z.string() },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  },
  async ({ customerId, date, time, topic }) => {
    const db = load();
    const customer = findCustomer(db, customerId);
    if (!customer) return fail(`No customer with id "${customerId}" was found.`);
    if (db.appointments.some((a) => a.date === date && a.time === time)) {
      return fail(`The slot ${date} ${time} is already booked. Please choose another time.`);
    }
    const appointmentId = nextId('P-', db.appointments);
    db.appointments.push({ id: appointmentId, customerId, date, time, topic: topic ?? '' });
    save(db);
    return ok(`Appointment ${appointmentId} booked for ${customer.name} on ${date} at ${time}.`, { appointmentId, date, time });
  },
);

if (!existsSync(dataFile)) save(SEED);
await server.connect(new StdioServerTransport());
process.stderr.write(`crm-server: ready (data: ${dataFile})\n`);
