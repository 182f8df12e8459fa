// Why a flow may not run (a simulation refused, WhatsApp blocked, a test case not run) in the
// studio's language: a validator finding from its problem text, a server that cannot be used
// from its owner texts, with the consent line it waits for put in the owner's language too. A
// reason without keys keeps its English words.
import { formatConsentText } from '../../src-main/shared/consent-texts';
import { formatProblemText } from '../../src-main/shared/problem-texts';
import type { OwnerText } from '../../src-main/shared/owner-text';
import type { RunBlocker } from '../../src-main/shared/run-blocker';
import { uiLanguage } from '.';
import { ownerText } from './owner-text';

export function runBlockerText(blocker: RunBlocker, language: string = uiLanguage()): string {
  if (blocker.text) return formatProblemText(blocker.text, language);
  if (!blocker.ownerTexts) return blocker.message;
  const { commandText } = blocker;
  const command = commandText ? formatConsentText(commandText, language) : undefined;
  const texts = blocker.ownerTexts.map((t) => (command !== undefined && t.params && 'command' in t.params ? { ...t, params: { ...t.params, command } } : t));
  return ownerText(texts, blocker.message);
}

/**
 * A refusal ("“Support” cannot be simulated until …") with its reasons, a bulleted line each.
 * A window that lacks the first line's key shows the whole English message as it came.
 */
export function refusalText(english: string, text: OwnerText | undefined, blockers: readonly RunBlocker[] | undefined): string {
  if (!blockers?.length || !text) return ownerText(text, english);
  const headline = ownerText(text, '');
  return headline ? [headline, ...blockers.map((b) => `• ${runBlockerText(b)}`)].join('\n') : english;
}
