// What the owner approves for a server, in one line (DESIGN §4): the exact command line
// (arguments quoted where needed, hidden characters escaped), then each variable with its value
// in full (or the keychain secret / studio variable it comes from), its folder, its sandbox
// grants (or that it runs without one), its OAuth2 client, and a warning naming the variables
// that can change which code runs; or the URL with its headers. Built as catalogue keys
// (shared/consent-texts) so the studio shows it in the owner's language; the words taken from
// the config are parameters, never translated.
import type { ConfigValue, McpServerConfig } from '../../shared/workspace-config';
import { consentText, formatConsentText, type ConsentText } from '../../shared/consent-texts';
import { grantText } from '../mcp-sandbox';
import type { ConsentContext } from './fingerprint';
import { loaderVariables } from './loader-variables';
import { escapeHidden, shellWord } from './shell-words';

export interface DescribeOptions extends ConsentContext {
  /** Values not to echo (the import preview hides values that look like secrets). */
  hideValue?: (name: string, value: string) => boolean;
}

/** The consent line as catalogue keys and parameters (formatConsentText puts it in a language). */
export function consentLine(config: McpServerConfig, options: DescribeOptions = {}): ConsentText {
  const parts: ConsentText[] = [];
  const assignments = (values: Record<string, ConfigValue>) =>
    Object.keys(values)
      .sort()
      .map((name) => consentText('assignment', { name: shellWord(name), value: valueText(name, values[name]!, options) }));
  let head: string;
  if ('url' in config) {
    head = escapeHidden(config.url);
    if (Object.keys(config.headers ?? {}).length) parts.push(consentText('headers', { values: assignments(config.headers!) }));
  } else {
    head = [config.command, ...(config.args ?? [])].map(shellWord).join(' ');
    if (Object.keys(config.env ?? {}).length) parts.push(consentText('env', { values: assignments(config.env!) }));
    if (config.cwd !== undefined) parts.push(consentText('cwd', { path: shellWord(config.cwd) }));
    const grant = grantText(config.sandbox, shellWord);
    if (grant) parts.push(grant);
    if (options.unsandboxed !== undefined) parts.push(consentText('sandbox.off', { reason: options.unsandboxed }));
  }
  const auth = config.auth;
  if (auth) {
    const words = [
      consentText('oauth2.client', { client: shellWord(auth.clientId) }),
      auth.tokenUrl !== undefined ? consentText('oauth2.tokenUrl', { url: escapeHidden(auth.tokenUrl) }) : consentText('oauth2.tokenFromMetadata'),
    ];
    if (auth.privateKey !== undefined) words.push(consentText('oauth2.signedWithKey'));
    if (auth.scope !== undefined) words.push(consentText('oauth2.scope', { scope: shellWord(auth.scope) }));
    if (auth.resource !== undefined) words.push(consentText('oauth2.resource', { resource: escapeHidden(auth.resource) }));
    if ('tokenEnv' in auth) words.push(consentText('oauth2.tokenEnv', { variable: shellWord(auth.tokenEnv) }));
    parts.push(consentText('oauth2', { parts: words }));
  }
  const loaders = loaderVariables(config);
  if (loaders.length) parts.push(consentText('loaders.warning', { names: loaders.map(shellWord) }));
  return parts.reduce<ConsentText>((line, part) => consentText('line', { line, part }), consentText('command', { command: head }));
}

/** The consent line in English: the canonical form the owner's approval is compared with (and the CLI prints). */
export function describeServer(config: McpServerConfig, options: DescribeOptions = {}): string {
  return formatConsentText(consentLine(config, options), 'en');
}

/** The line as the API carries it: `command` in English (approval sends it back) and `commandText` for the owner's language. */
export function consentFields(config: McpServerConfig, options: DescribeOptions = {}): { command: string; commandText: ConsentText } {
  const commandText = consentLine(config, options);
  return { command: formatConsentText(commandText, 'en'), commandText };
}

/** A value as the owner reads it: plain values shell-quoted (so none reads like a reference), references by name. */
function valueText(name: string, value: ConfigValue, options: DescribeOptions): string | ConsentText {
  if (typeof value === 'string') return options.hideValue?.(name, value) ? consentText('value.hidden') : shellWord(value);
  return 'secret' in value ? consentText('value.secret', { name: shellWord(value.secret) }) : consentText('value.env', { name: shellWord(value.env) });
}
