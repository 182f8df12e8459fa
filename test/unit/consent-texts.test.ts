// A server's consent line in the studio's languages: the line is built as catalogue keys with
// the config's words as parameters; English is describeServer (what approval compares, what the
// CLI prints), pt-BR and es come from their catalogues with the command, paths, values and
// hosts exactly as in English.
import { describe, expect, it } from 'vitest';
import { consentLine, describeServer, type DescribeOptions } from '../../src-main/core/mcp-catalog';
import { ConsentTextSchema, consentText, en, formatConsentText } from '../../src-main/shared/consent-texts';
import { es } from '../../src-main/shared/consent-texts/es';
import { ptBR } from '../../src-main/shared/consent-texts/pt-BR';
import { en as problemEn, formatProblemText } from '../../src-main/shared/problem-texts';
import { McpServerConfigSchema, type McpServerConfig } from '../../src-main/shared/workspace-config';
import { consentWords } from '../../src-renderer/ui/consent-line';

const placeholders = (s: string) => [...s.matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Everything a stdio server's line can say: values of each kind, a folder, grants, OAuth2, a loader variable, no sandbox here. */
const everything: McpServerConfig = McpServerConfigSchema.parse({
  command: '/opt/shop tools/run',
  args: ['--data', '/srv/bolos/pedidos', "it's"],
  env: { SHOP_DIR: '/srv/bolos', GREETING: 'olá mundo', API_KEY: { secret: 'shop-key' }, GH: { env: 'GITHUB_TOKEN' }, TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', NODE_OPTIONS: '--require=/srv/x.js' },
  cwd: '/srv/bolos app',
  sandbox: { folders: [{ path: '/srv/receitas', access: 'read' }, { path: '/srv/bolos', access: 'write' }], network: { hosts: ['api.padaria.com.br', '127.0.0.1:8080'] }, docker: true },
  auth: { type: 'oauth2', tokenUrl: 'https://auth.padaria.com.br/token', clientId: 'padaria', clientSecret: { secret: 's' }, tokenEnv: 'SHOP_TOKEN', scope: 'pedidos', resource: 'https://api.padaria.com.br/' },
});
const options: DescribeOptions = {
  hideValue: (name) => name === 'TOKEN',
  unsandboxed: consentText('sandbox.unavailable.missing', { programs: ['bubblewrap', 'socat'] }),
};
const COMMAND = "'/opt/shop tools/run' --data /srv/bolos/pedidos 'it'\\''s'";
const VALUES = "API_KEY=%s, GH=%s, GREETING='olá mundo', NODE_OPTIONS=--require=/srv/x.js, SHOP_DIR=/srv/bolos, TOKEN=%s";

describe('the consent catalogues', () => {
  it('pt-BR and es have every English key, with the same parameters', () => {
    for (const [name, words] of [['pt-BR', ptBR], ['es', es]] as const) {
      expect(Object.keys(words).sort(), name).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(words[key]), `${name} ${key}`).toEqual(placeholders(en[key]));
    }
  });
});

describe('the consent line in the owner\'s language', () => {
  it('in English is describeServer, word for word', () => {
    const line = consentLine(everything, options);
    expect(formatConsentText(line, 'en')).toBe(describeServer(everything, options));
    expect(describeServer(everything, options)).toBe(
      `${COMMAND} [env: ${VALUES.replace('%s', '<keychain secret shop-key>').replace('%s', "<the studio's environment variable GITHUB_TOKEN>").replace('%s', '<value hidden: it looks like a secret>')}]` +
        " [cwd: '/srv/bolos app']" +
        ' [sandbox grants: read /srv/receitas, read and write /srv/bolos, network to api.padaria.com.br, 127.0.0.1:8080, the Docker socket (control of this computer)]' +
        ' [runs WITHOUT a sandbox (bubblewrap, socat not installed (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep)): it can read and change everything your user account can]' +
        ' [oauth2: client padaria, token from https://auth.padaria.com.br/token, scope pedidos, resource https://api.padaria.com.br/, token in SHOP_TOKEN]' +
        ' [warning: NODE_OPTIONS can make the program load or run other code than the command shows]',
    );
  });

  it('in Portuguese (Brazil): the words translated, the command, paths, values and hosts verbatim', () => {
    expect(formatConsentText(consentLine(everything, options), 'pt-BR')).toBe(
      `${COMMAND} [variáveis de ambiente: ${VALUES.replace('%s', '<segredo do chaveiro shop-key>').replace('%s', '<variável de ambiente do estúdio GITHUB_TOKEN>').replace('%s', '<valor oculto: parece um segredo>')}]` +
        " [pasta de trabalho: '/srv/bolos app']" +
        ' [permissões da sandbox: ler /srv/receitas, ler e gravar /srv/bolos, rede só para api.padaria.com.br, 127.0.0.1:8080, o socket do Docker (controle deste computador)]' +
        ' [roda SEM sandbox (falta instalar bubblewrap, socat (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep)): pode ler e alterar tudo que sua conta de usuário pode]' +
        ' [oauth2: cliente padaria, token obtido em https://auth.padaria.com.br/token, escopo pedidos, recurso https://api.padaria.com.br/, token em SHOP_TOKEN]' +
        ' [atenção: com NODE_OPTIONS, o programa pode carregar ou rodar outro código além do que o comando mostra]',
    );
  });

  it('in Spanish, the same way', () => {
    expect(formatConsentText(consentLine(everything, options), 'es')).toBe(
      `${COMMAND} [variables de entorno: ${VALUES.replace('%s', '<secreto del llavero shop-key>').replace('%s', '<variable de entorno del estudio GITHUB_TOKEN>').replace('%s', '<valor oculto: parece un secreto>')}]` +
        " [carpeta de trabajo: '/srv/bolos app']" +
        ' [permisos del entorno aislado: leer /srv/receitas, leer y escribir /srv/bolos, red solo hacia api.padaria.com.br, 127.0.0.1:8080, el socket de Docker (control de este equipo)]' +
        ' [se ejecuta SIN entorno aislado (falta instalar bubblewrap, socat (Debian/Ubuntu: apt-get install bubblewrap socat ripgrep)): puede leer y cambiar todo lo que tu cuenta de usuario puede]' +
        ' [oauth2: cliente padaria, token obtenido de https://auth.padaria.com.br/token, ámbito pedidos, recurso https://api.padaria.com.br/, token en SHOP_TOKEN]' +
        ' [atención: con NODE_OPTIONS, el programa puede cargar o ejecutar otro código distinto del que muestra el comando]',
    );
  });

  it('says the whole network, a URL server\'s headers and a discovered token endpoint in each language', () => {
    const open = McpServerConfigSchema.parse({ command: 'npx', args: ['-y', '@acme/mcp'], sandbox: { network: 'all' } });
    expect(describeServer(open)).toBe('npx -y @acme/mcp [sandbox grants: the whole network]');
    expect(formatConsentText(consentLine(open), 'pt-BR')).toBe('npx -y @acme/mcp [permissões da sandbox: toda a rede]');
    expect(formatConsentText(consentLine(open), 'es')).toBe('npx -y @acme/mcp [permisos del entorno aislado: toda la red]');
    const remote = McpServerConfigSchema.parse({
      url: 'https://mcp.padaria.com.br/mcp',
      headers: { 'X-Loja': 'centro', Authorization: { secret: 'chave' } },
      auth: { type: 'oauth2', clientId: 'padaria', privateKey: { secret: 'pk' } },
    });
    expect(describeServer(remote)).toBe(
      "https://mcp.padaria.com.br/mcp [headers: Authorization=<keychain secret chave>, X-Loja=centro] [oauth2: client padaria, token endpoint from the server's metadata, signs in with a private key]",
    );
    expect(formatConsentText(consentLine(remote), 'pt-BR')).toBe(
      'https://mcp.padaria.com.br/mcp [cabeçalhos: Authorization=<segredo do chaveiro chave>, X-Loja=centro] [oauth2: cliente padaria, endereço do token tirado dos metadados do servidor, entra com uma chave privada]',
    );
    expect(formatConsentText(consentLine(remote), 'es')).toBe(
      'https://mcp.padaria.com.br/mcp [cabeceras: Authorization=<secreto del llavero chave>, X-Loja=centro] [oauth2: cliente padaria, dirección del token tomada de los metadatos del servidor, inicia sesión con una clave privada]',
    );
  });

  it('never reads a config word as a phrase: a value that looks like a parameter stays as it is', () => {
    const odd = McpServerConfigSchema.parse({ command: 'node', args: ['%{command}'], env: { X: '%{values}' } });
    expect(formatConsentText(consentLine(odd), 'pt-BR')).toBe("node '%{command}' [variáveis de ambiente: X='%{values}']");
  });

  it('travels through the API schema unchanged, and a regional tag gets its base language', () => {
    const line = consentLine(everything, options);
    expect(ConsentTextSchema.parse(JSON.parse(JSON.stringify(line)))).toEqual(line);
    expect(formatConsentText(line, 'pt-PT')).toBe(formatConsentText(line, 'pt-BR'));
    expect(formatConsentText(line, 'fr')).toBe(describeServer(everything, options));
  });

  it('the studio shows it in its language, or the English command where the keys are absent', () => {
    const line = consentLine(everything, options);
    expect(consentWords(line, 'english', 'pt-BR')).toBe(formatConsentText(line, 'pt-BR'));
    expect(consentWords(undefined, 'node x.js [env: A=1]', 'pt-BR')).toBe('node x.js [env: A=1]');
  });

  it('shares its formatter with the problem catalogues (lists there still say "and")', () => {
    expect(formatProblemText({ key: 'expected.enum', params: { options: ['a', 'b', 'c'] } }, 'en')).toBe(problemEn['expected.enum'].replace('%{options}', 'a, b and c'));
  });
});
