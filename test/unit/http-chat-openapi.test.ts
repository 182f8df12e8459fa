// docs/http-chat.openapi.json is the HTTP chat API's contract for other front ends: it must
// parse, be OpenAPI 3.1, and name exactly the routes web/chat-routes.ts serves.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHAT_ROUTES } from '../../src-main/web/chat-routes';

const doc = JSON.parse(readFileSync(new URL('../../docs/http-chat.openapi.json', import.meta.url), 'utf8')) as {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

describe('the HTTP chat OpenAPI file', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('names every route the code serves, and no other', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(CHAT_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('every $ref points at a schema it defines', () => {
    const text = JSON.stringify(doc);
    const schemas = Object.keys((doc as unknown as { components: { schemas: object } }).components.schemas);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) expect(schemas).toContain(name);
  });
});
