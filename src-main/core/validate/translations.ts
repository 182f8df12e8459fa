// A flow's translations (README "Multilingual flows"): each names a language, a step of the flow
// and fields that step says; a choice's translated options must line up with the originals
// (same number, none blank, none twice), since the customer's pick is read back by position.
import type { Flow, FlowNode } from '../../shared/flow';
import type { Problem } from '../../shared/problem';
import { isLanguageTag, sourceTexts, TRANSLATABLE_FIELDS } from '../../shared/flow-translations';
import { fold } from '../fold-text';
import { error, nameOf, warning } from './graph';

export function translationProblems(flow: Flow): Problem[] {
  const problems: Problem[] = [];
  const nodes = new Map(flow.nodes.map((n) => [n.id, n]));
  if (flow.detectLanguage && Object.keys(flow.translations ?? {}).length === 0) {
    problems.push(warning('DETECT_LANGUAGE_NO_TRANSLATIONS', { field: 'detectLanguage' }, 'DETECT_LANGUAGE_NO_TRANSLATIONS'));
  }
  if (flow.language === undefined && (Object.keys(flow.translations ?? {}).length > 0 || flow.detectLanguage)) {
    problems.push(warning('TRANSLATION_NO_FLOW_LANGUAGE', { field: 'language' }, 'TRANSLATION_NO_FLOW_LANGUAGE'));
  }
  for (const [language, steps] of Object.entries(flow.translations ?? {})) {
    const at = `translations.${language}`;
    if (!isLanguageTag(language)) {
      problems.push(error('TRANSLATION_BAD_LANGUAGE', { field: at }, 'TRANSLATION_BAD_LANGUAGE', { language }));
    } else if (language === flow.language) {
      problems.push(warning('TRANSLATION_OWN_LANGUAGE', { field: at }, 'TRANSLATION_OWN_LANGUAGE', { language }));
    }
    for (const [nodeId, translation] of Object.entries(steps)) {
      const node = nodes.get(nodeId);
      const where = { nodeId, field: `${at}.${nodeId}` };
      if (!node) {
        problems.push(warning('TRANSLATION_UNKNOWN_STEP', where, 'TRANSLATION_UNKNOWN_STEP', { language, id: nodeId }));
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
      const params = { language, step: nameOf(node), field };
      problems.push(
        allowed.length
          ? warning('TRANSLATION_UNKNOWN_FIELD', where, 'TRANSLATION_UNKNOWN_FIELD', { ...params, fields: allowed.join(', ') })
          : warning('TRANSLATION_UNKNOWN_FIELD', where, 'TRANSLATION_UNKNOWN_FIELD.nothing', params),
      );
      continue;
    }
    // Text fields are typed by the file format (parse-flow reports those); options must line up.
    if (field === 'options') problems.push(...optionProblems(node, language, value as string[], source.options as string[] | undefined, where));
  }
  return problems;
}

function optionProblems(node: FlowNode, language: string, value: string[], original: string[] | undefined, where: { nodeId: string; field: string }): Problem[] {
  const params = { language, step: nameOf(node) };
  if (!original) {
    return [warning('TRANSLATION_UNKNOWN_FIELD', where, 'TRANSLATION_UNKNOWN_FIELD.not_choice', params)];
  }
  if (value.length !== original.length) {
    return [error('TRANSLATION_OPTIONS_MISMATCH', where, 'TRANSLATION_OPTIONS_MISMATCH', { ...params, count: value.length, expected: original.length, options: original.map((o) => `"${o}"`).join(', ') })];
  }
  const options = value;
  if (options.some((o) => o.trim() === '')) {
    return [error('TRANSLATION_OPTIONS_MISMATCH', where, 'TRANSLATION_OPTIONS_MISMATCH.empty', params)];
  }
  const folded = options.map(fold);
  const twice = options.find((_, i) => folded.indexOf(folded[i]!) !== i);
  if (twice !== undefined) {
    return [error('TRANSLATION_OPTIONS_MISMATCH', where, 'TRANSLATION_OPTIONS_MISMATCH.twice', { ...params, option: twice.trim() })];
  }
  return [];
}
