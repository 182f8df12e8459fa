// Why a flow may not run reaches the owner in the studio's language: the simulator's and
// WhatsApp's refusal (its first line and each reason), the WhatsApp screen's list and a test
// case that was not run. The
// reasons come from the main process as catalogue keys next to their English words; in English
// the studio says what the main process says, in Portuguese and Spanish it says it in those.
import { afterEach, describe, expect, it } from 'vitest';
import { blockedMessage, FlowCannotAnswerError } from '../../src-main/app/answering-flow';
import { serverBlocker } from '../../src-main/app/live-catalog';
import { McpServerError } from '../../src-main/adapters/mcp/mcp-errors';
import { failureTexts } from '../../src-main/adapters/mcp/server-failure-words';
import { consentFields } from '../../src-main/core/mcp-catalog/consent-line';
import { ConsentRequiredError } from '../../src-main/runtime/governed-mcp';
import { formatConsentText } from '../../src-main/shared/consent-texts';
import { problemText } from '../../src-main/shared/problem-texts';
import { REFUSED_AT, type RunBlocker } from '../../src-main/shared/run-blocker';
import type { StdioServerConfig } from '../../src-main/shared/workspace-config';
import { ApiCallError, userMessage } from '../../src-renderer/api/client';
import { i18n } from '../../src-renderer/i18n';
import { refusalText, runBlockerText } from '../../src-renderer/i18n/run-blocker-text';

const CRM: StdioServerConfig = { command: '/usr/bin/node', args: ['/srv/crm/index.js'], sandbox: { folders: [{ path: '/srv/shop', access: 'read' }] } };
const { command, commandText } = consentFields(CRM);
const awaiting = (reason: 'new' | 'changed') => serverBlocker('crm', new ConsentRequiredError('crm', command, 'fp', reason, commandText));
/** A start that failed, with the headline its supervisor gave it (server-supervisor.ts noteError). */
function failedStart(summary: boolean): McpServerError {
  const stderr = "Error: Cannot find module '/srv/crm/index.js'";
  const error = new McpServerError('crm', 'exited', 'MCP server "crm" exited with exit code 1', stderr, { exit: { code: 1, signal: null } });
  if (summary) error.summaryText = failureTexts({ kind: 'exited', program: CRM.command, stderr, exit: { code: 1, signal: null }, atStart: true });
  return error;
}
const toolMissing: RunBlocker = {
  message: 'The step "Look up" uses the tool find on the server "crm", but that server does not offer a tool called find. Check the spelling or pick one of: search.',
  text: problemText('TOOL_UNKNOWN_TOOL', { subject: 'The step "Look up" uses the tool find on the server "crm"', tool: 'find', tools: ['search'] }),
};

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('a reason a flow may not run', () => {
  it('in English reads exactly as the main process wrote it', async () => {
    await i18n.changeLanguage('en');
    for (const blocker of [awaiting('new'), awaiting('changed'), toolMissing]) expect(runBlockerText(blocker, 'en')).toBe(blocker.message);
  });

  it('a server waiting for approval: the sentence and the consent line in the owner’s language', async () => {
    await i18n.changeLanguage('pt-BR');
    const words = runBlockerText(awaiting('new'), 'pt-BR');
    expect(words).toBe(`O servidor MCP "crm" precisa da sua aprovação antes de iniciar. Ele rodaria: ${formatConsentText(commandText, 'pt-BR')}. Aprove-o em Configurações › Servidores MCP (ou no painel de uma etapa que o usa).`);
    expect(words).toContain('permissões da sandbox: ler /srv/shop');
    await i18n.changeLanguage('es');
    expect(runBlockerText(awaiting('changed'), 'es')).toMatch(/^El servidor MCP "crm" cambió lo que ejecuta desde que lo aprobaste.*Ahora ejecutaría: \/usr\/bin\/node \/srv\/crm\/index\.js/);
  });

  it('a server that failed: its plain headline, as on its card', async () => {
    const crashed = serverBlocker('crm', failedStart(true));
    await i18n.changeLanguage('pt-BR');
    expect(runBlockerText(crashed, 'pt-BR')).toBe('O servidor MCP "crm" não pode ser usado agora: O programa `node` não encontrou o arquivo `/srv/crm/index.js`.');
    await i18n.changeLanguage('en');
    expect(runBlockerText(crashed, 'en')).toBe('The MCP server "crm" cannot be used now: The program `node` could not find the file `/srv/crm/index.js`.');
    // Without a headline (a failure no supervisor saw): the server's own words, framed in the owner's language.
    await i18n.changeLanguage('es');
    expect(runBlockerText(serverBlocker('crm', failedStart(false)), 'es')).toBe('El servidor MCP "crm" no se puede usar ahora: MCP server "crm" exited with exit code 1');
  });

  it('a validator finding: its problem text', () => {
    expect(runBlockerText(toolMissing, 'es')).toContain('pero ese servidor no ofrece ninguna herramienta llamada find');
  });
});

describe('the refusal as the studio shows it', () => {
  it('has a first line for every place a flow is refused, in every language, for one reason and for several', () => {
    for (const lng of ['en', 'pt-BR', 'es'])
      for (const where of REFUSED_AT) for (const count of [1, 2]) expect(i18n.exists(`common:ownerTexts.flowBlocked.${where}`, { lng, count }), `${lng} ${where} ${count}`).toBe(true);
  });

  const blockers = [awaiting('new'), toolMissing];
  const refusal = new FlowCannotAnswerError('Encomendas', 'whatsapp', blockers);
  const simulated = () => new ApiCallError('CONFLICT', blockedMessage('“Encomendas” cannot be simulated', blockers), { key: 'flowBlocked.simulator', params: { flow: 'Encomendas', count: 2 } }, blockers);

  it('in English: the main process’s message, line for line', async () => {
    await i18n.changeLanguage('en');
    expect(userMessage(new ApiCallError('CONFLICT', refusal.message, refusal.text, blockers))).toBe(refusal.message);
    expect(userMessage(simulated())).toBe(simulated().message);
  });

  it('in Portuguese: the first line counted in Portuguese, every reason in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    const lines = userMessage(simulated()).split('\n');
    expect(lines[0]).toBe('“Encomendas” não pode ser simulado até que estes 2 problemas sejam corrigidos:');
    expect(lines.slice(1)).toEqual([`• ${runBlockerText(blockers[0]!, 'pt-BR')}`, `• ${runBlockerText(toolMissing, 'pt-BR')}`]);
    const one = new FlowCannotAnswerError('Encomendas', 'http', [toolMissing]);
    expect(userMessage(new ApiCallError('CONFLICT', one.message, one.text, one.problems)).split('\n')[0]).toBe('“Encomendas” não pode responder no chat HTTP até que isto seja corrigido:');
    // A test case not run (the Tests panel shows the result's errorText and blockers).
    expect(refusalText('The flow has problems, so it was not run: …', { key: 'flowBlocked.tests', params: { flow: 'Encomendas', count: 1 } }, [toolMissing])).toBe(
      `“Encomendas” não pode ser testado até que isto seja corrigido:\n• ${runBlockerText(toolMissing, 'pt-BR')}`,
    );
  });

  it('a window that does not know the first line’s key shows the English message as it came', async () => {
    await i18n.changeLanguage('es');
    const newer = new ApiCallError('CONFLICT', refusal.message, { key: 'flowBlocked.someNewChannel', params: { flow: 'x', count: 2 } }, blockers);
    expect(userMessage(newer)).toBe(refusal.message);
  });
});
