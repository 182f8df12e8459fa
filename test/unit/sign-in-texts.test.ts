// The MCP sign-in's sentences in the studio's languages (shared/sign-in-texts): complete, with
// the same placeholders, the English words the CLI prints made from the same catalogue, and the
// loopback page answering in the browser's language.
import { describe, expect, it } from 'vitest';
import { SIGN_IN_CATALOGUES, renderSignIn } from '../../src-main/shared/sign-in-texts';
import { SIGN_IN_TEXTS } from '../../src-main/adapters/oauth/sign-in-texts';
import { SignInFailedError } from '../../src-main/adapters/oauth/sign-in-errors';
import { startLoopbackListener } from '../../src-main/adapters/oauth/loopback-listener';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('sign-in catalogues', () => {
  it.each(['pt-BR', 'es'] as const)('%s: every sentence written, with the placeholders of the English one', (language) => {
    const en = SIGN_IN_CATALOGUES.en;
    const other = SIGN_IN_CATALOGUES[language];
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const translated = other[key as keyof typeof en];
      expect(placeholders(translated), `${language}.${key}`).toEqual(placeholders(text));
      if (key !== 'asIs') expect(translated, `${language}.${key}`).not.toBe(text);
    }
  });

  it('the English words and the keys say the same, also when composed', () => {
    const words = SIGN_IN_TEXTS.signInAgain('crm', SIGN_IN_TEXTS.moreAccess('tickets:write'));
    expect(words.message).toBe('MCP server "crm" needs you to sign in again: the service asks for more access (tickets:write). Choose "Sign in again" on its card (or run: flowbot mcp login crm).');
    expect(renderSignIn('en', words.text)).toBe(words.message);
    expect(renderSignIn('pt-BR', words.text)).toBe(
      'O servidor MCP "crm" precisa que você entre de novo: o serviço pede mais acesso (tickets:write). Escolha "Entrar de novo" no cartão dele (ou rode: flowbot mcp login crm).',
    );
  });
});

describe('the loopback page', () => {
  const listener = () => startLoopbackListener({ server: 'crm', state: 'the-state', timeoutMs: 60_000, complete: async () => undefined });

  it('refuses a foreign answer in the browser\'s language, and the failure keeps its keys', async () => {
    const l = await listener();
    const failed = l.done.then(() => undefined, (e: unknown) => e);
    const page = await fetch(`${l.redirectUrl}?state=forged&code=x`, { headers: { 'accept-language': 'pt-BR,pt;q=0.9,en;q=0.5' } });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain('O login falhou');
    expect(html).toContain('A resposta da página de login não pertencia ao login que o estúdio começou');
    const error = (await failed) as SignInFailedError;
    expect(error).toBeInstanceOf(SignInFailedError);
    expect(error.message).toBe(SIGN_IN_TEXTS.wrongState.message);
    expect(error.text).toEqual([{ key: 'signIn.wrongState' }]);
  });

  it('says it is done in Spanish to a Spanish browser, and in English to one it does not speak', async () => {
    const es = await listener();
    const done = await fetch(`${es.redirectUrl}?state=the-state&code=x`, { headers: { 'accept-language': 'es-MX' } });
    expect(await done.text()).toContain('Has iniciado sesión');
    await es.done;
    const other = await listener();
    const de = await fetch(`${other.redirectUrl}?state=the-state&code=x`, { headers: { 'accept-language': 'de-DE' } });
    expect(await de.text()).toContain('You are signed in.');
    await other.done;
  });
});
