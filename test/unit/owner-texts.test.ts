// Sentences the main process says to the owner travel as catalogue keys next to their English
// words (src-main/shared/owner-text.ts): every key it can send exists in the studio's catalogue,
// the studio's English reads exactly as the main process's, and Portuguese/Spanish are shown
// when the studio speaks them (an unknown key falls back to the English words).
import { afterEach, describe, expect, it } from 'vitest';
import { failureTexts, plainFailure, SERVER_FAILURE_TEXTS, type FailureFacts } from '../../src-main/adapters/mcp/server-failure-words';
import { AUDIT_KEY_LOCKED, AuditKeyLockedError } from '../../src-main/app/audit-key';
import { i18n } from '../../src-renderer/i18n';
import { ownerText } from '../../src-renderer/i18n/owner-text';
import { toolFlags } from '../../src-main/core/mcp-catalog/classify';
import { SIGN_IN_API_TEXTS } from '../../src-main/app/settings/sign-in-handlers';
import { CONSENT_API_TEXTS } from '../../src-main/app/studio-mcp';
import { IMPORT_FOLDER_TEXTS } from '../../src-main/app/settings/import-folder';

const SAMPLES: FailureFacts[] = [
  { kind: 'exited', program: '/usr/bin/node', exit: { code: 1, signal: null }, stderr: "Error: Cannot find module '/srv/crm/index.js'", atStart: true },
  { kind: 'exited', program: 'node', exit: { code: 1, signal: null }, stderr: "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod'" },
  { kind: 'exited', exit: { code: 3, signal: null }, atStart: true },
  { kind: 'exited', exit: { code: 3, signal: null } },
  { kind: 'exited', exit: { code: null, signal: 'SIGKILL' } },
  { kind: 'exited', atStart: true },
  { kind: 'exited' },
  { kind: 'circuit_open', exit: { code: 2, signal: null } },
  { kind: 'not_found', program: 'uvx' },
  { kind: 'not_found', program: 'uvx', message: 'could not be run (EACCES)' },
  { kind: 'start_timeout', startTimeoutMs: 15_000 },
  { kind: 'protocol', message: 'MCP server "crm": sent something that is not JSON-RPC' },
  { kind: 'protocol' },
];

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('server failure headlines', () => {
  it('every sentence has a key in the studio catalogue', () => {
    for (const key of [...Object.keys(SERVER_FAILURE_TEXTS), 'asIs']) expect(i18n.exists(`common:ownerTexts.serverFailure.${key}`, { lng: 'en' }), key).toBe(true);
  });

  it('the studio in English says exactly what the main process says', async () => {
    await i18n.changeLanguage('en');
    for (const facts of SAMPLES) expect(ownerText(failureTexts(facts), 'fallback')).toBe(plainFailure(facts));
  });

  it('the studio in Portuguese and Spanish says it in those languages, with the same values', async () => {
    const facts = SAMPLES[0]!;
    await i18n.changeLanguage('pt-BR');
    expect(ownerText(failureTexts(facts), plainFailure(facts))).toBe('O programa `node` não encontrou o arquivo `/srv/crm/index.js`.');
    await i18n.changeLanguage('es');
    expect(ownerText(failureTexts(facts), plainFailure(facts))).toBe('El programa `node` no encontró el archivo `/srv/crm/index.js`.');
  });
});

describe('the locked audit key', () => {
  it('reaches the owner in the studio language, English words as they are', async () => {
    const error = new AuditKeyLockedError('the keyring is locked');
    await i18n.changeLanguage('en');
    expect(ownerText(error.text, error.message)).toBe(error.message);
    expect(ownerText(new AuditKeyLockedError(undefined).text, 'x')).toBe(AUDIT_KEY_LOCKED);
    await i18n.changeLanguage('pt-BR');
    expect(ownerText(error.text, error.message)).toMatch(/^O log de auditoria é protegido .* \(the keyring is locked\)$/);
  });

  it('a key this window does not know shows the English words', () => {
    expect(ownerText({ key: 'fromANewerApp' }, 'The English words.')).toBe('The English words.');
  });
});

describe('tool flags', () => {
  it('the studio in English says exactly what the catalogue check says; in Spanish, Spanish', async () => {
    const tool = { name: 'delete_order', description: 'Deletes\u200b an order', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true, destructiveHint: true } };
    const flags = toolFlags(tool, { ownerClass: 'read' });
    expect(flags.filter((f) => f.text).map((f) => f.code)).toEqual(['READ_ONLY_AND_DESTRUCTIVE', 'MUTATION_NAME_CLAIMS_READ_ONLY', 'OWNER_READ_SERVER_WRITE', 'DESCRIPTION_HAS_HIDDEN_CHARACTERS']);
    await i18n.changeLanguage('en');
    for (const f of flags) expect(ownerText(f.text, 'fallback')).toBe(f.text ? f.message : 'fallback');
    await i18n.changeLanguage('es');
    expect(ownerText(flags[1]!.text, flags[1]!.message)).toBe('El servidor dice que esta herramienta es de solo lectura, pero su nombre ("delete") suena a que cambia datos. Compruébalo antes de marcarla como lectura.');
  });
});

describe('the sign-in API refusals', () => {
  const said = [SIGN_IN_API_TEXTS.notApproved('crm'), SIGN_IN_API_TEXTS.unavailable, SIGN_IN_API_TEXTS.badAddress('crm')];
  it('read in English exactly as the main process says them, and in the studio language otherwise', async () => {
    await i18n.changeLanguage('en');
    for (const { message, text } of said) expect(ownerText(text, 'fallback')).toBe(message);
    await i18n.changeLanguage('pt-BR');
    expect(ownerText(SIGN_IN_API_TEXTS.badAddress('crm').text, 'fallback')).toBe('O servidor MCP "crm" enviou um endereço de login que não é https, então ele não foi aberto.');
    await i18n.changeLanguage('es');
    expect(ownerText(SIGN_IN_API_TEXTS.unavailable.text, 'fallback')).toBe('Iniciar sesión en servidores MCP no está disponible aquí.');
  });
});

describe('the consent and import-folder refusals', () => {
  const said = [
    CONSENT_API_TEXTS.needsApproval('crm'),
    CONSENT_API_TEXTS.changed('crm'),
    IMPORT_FOLDER_TEXTS.needed('"crm-server/index.js" (crm)'),
    IMPORT_FOLDER_TEXTS.notAbsolute('servers'),
    IMPORT_FOLDER_TEXTS.missing('/srv/nowhere'),
  ];
  it('read in English exactly as the main process says them, and in the studio language otherwise', async () => {
    await i18n.changeLanguage('en');
    for (const { message, text } of said) expect(ownerText(text, 'fallback')).toBe(message);
    await i18n.changeLanguage('pt-BR');
    expect(ownerText(CONSENT_API_TEXTS.changed('crm').text, 'fallback')).toBe(
      'O servidor MCP "crm" mudou o que roda desde que o cartão foi mostrado, então não é o que você aprovou: leia o cartão de novo e depois aprove.',
    );
    expect(ownerText(IMPORT_FOLDER_TEXTS.needed('"crm-server/index.js" (crm)').text, 'fallback')).toMatch(/^A configuração colada indica arquivos por um caminho relativo \("crm-server\/index.js" \(crm\)\)/);
    await i18n.changeLanguage('es');
    expect(ownerText(IMPORT_FOLDER_TEXTS.missing('/srv/nowhere').text, 'fallback')).toBe('La carpeta "/srv/nowhere" no existe en este equipo (o no es una carpeta).');
    expect(ownerText(CONSENT_API_TEXTS.needsApproval('crm').text, 'fallback')).toBe('El servidor MCP "crm" necesita tu aprobación antes de iniciarse: aprueba primero lo que ejecuta, en su tarjeta.');
  });
});
