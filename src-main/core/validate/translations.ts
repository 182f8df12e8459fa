// A flow's translations (README "Multilingual flows"): each names a language, a step of the flow
// and fields that step says; a choice's translated options must line up with the originals
// (same number, none blank, none twice), since the customer's pick is read back by position.
import type { Flow, FlowNode } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { isLanguageTag, sourceTexts, TRANSLATABLE_FIELDS } from '../../shared/flow-translations';
import { fold } from '../fold-text';
import { error, quoted, warning } from './graph';

export function translationProblems(flow: Flow): Problem[] {
  const problems: Problem[] = [];
  const nodes = new Map(flow.nodes.map((n) => [n.id, n]));
  if (flow.detectLanguage && Object.keys(flow.translations ?? {}).length === 0) {
    problems.push(warning('DETECT_LANGUAGE_NO_TRANSLATIONS', { field: 'detectLanguage' }, `The flow answers in the customer's language, but has no translations yet, so it always speaks its own. Add a language under "Languages", or turn this off.`));
  }
  if (flow.language === undefined && (Object.keys(flow.translations ?? {}).length > 0 || flow.detectLanguage)) {
    problems.push(warning('TRANSLATION_NO_FLOW_LANGUAGE', { field: 'language' }, `The flow has translations but does not say which language it is written in itself, so the bot's language is taken for it. Choose the flow's language.`));
  }
  for (const [language, steps] of Object.entries(flow.translations ?? {})) {
    const at = `translations.${language}`;
    if (!isLanguageTag(language)) {
      problems.push(error('TRANSLATION_BAD_LANGUAGE', { field: at }, `"${language}" is not a language code. Use a code like "en", "es" or "pt-BR" for the translations.`));
    } else if (language === flow.language) {
      problems.push(warning('TRANSLATION_OWN_LANGUAGE', { field: at }, `The flow is written in "${language}" and also has translations into "${language}"; they are never used. Delete them, or change the flow's language.`));
    }
    for (const [nodeId, translation] of Object.entries(steps)) {
      const node = nodes.get(nodeId);
      const where = { nodeId, field: `${at}.${nodeId}` };
      if (!node) {
        problems.push(warning('TRANSLATION_UNKNOWN_STEP', where, `The "${language}" translations have texts for a step "${nodeId}" that is not in the flow (deleted or renamed?). Delete them, or move them to the step they belong to.`));
        continue;
      }
      problems.push(...stepTranslationProblems(node, language, translation as Record<string, unknown>));
    }
  }
  return problems;
}

function stepTranslationProblems(node: FlowNode, language: string, translation: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const allowed = TRANSLATABLE_FIELDS[node.type] as readonly string[];
  const source = sourceTexts(node);
  for (const [field, value] of Object.entries(translation)) {
    const where = { nodeId: node.id, field: `translations.${language}.${node.id}.${field}` };
    if (!allowed.includes(field)) {
      const can = allowed.length ? `it can translate: ${allowed.join(', ')}` : 'this kind of step says nothing to translate';
      problems.push(warning('TRANSLATION_UNKNOWN_FIELD', where, `The "${language}" translation of ${quoted(node)} has a "${field}", which the step does not say (${can}). Delete it.`));
      continue;
    }
    // Text fields are typed by the file format (parse-flow reports those); options must line up.
    if (field === 'options') problems.push(...optionProblems(node, language, value as string[], source.options as string[] | undefined, where));
  }
  return problems;
}

function optionProblems(node: FlowNode, language: string, value: string[], original: string[] | undefined, where: { nodeId: string; field: string }): Problem[] {
  const label = `The "${language}" options of ${quoted(node)}`;
  if (!original) {
    return [warning('TRANSLATION_UNKNOWN_FIELD', where, `${label} are never shown: the question does not ask the customer to choose. Delete them.`)];
  }
  if (value.length !== original.length) {
    return [error('TRANSLATION_OPTIONS_MISMATCH', where, `${label} are ${value.length}, the question has ${original.length}. Translate each option once, in the same order (${original.map((o) => `"${o}"`).join(', ')}).`)];
  }
  const options = value;
  if (options.some((o) => o.trim() === '')) {
    return [error('TRANSLATION_OPTIONS_MISMATCH', where, `${label} include an empty one. Write a text for every option.`)];
  }
  const folded = options.map(fold);
  const twice = options.find((_, i) => folded.indexOf(folded[i]!) !== i);
  if (twice !== undefined) {
    return [error('TRANSLATION_OPTIONS_MISMATCH', where, `${label} offer "${twice.trim()}" twice, so the customer's pick could not be told apart. Make each one different.`)];
  }
  return [];
}
