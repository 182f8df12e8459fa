// What the customer reads when asked to confirm a call: an action label for the call and a
// label per argument, in the flow's language (shared/call-labels.ts). Empty fields fall back to
// the tool schema's titles (shown as placeholders) and then to the technical ids. Labels only
// name things: every value sent is shown whatever they say, and they are never bound.
import { useTranslation } from 'react-i18next';
import { schemaArgLabels } from '../../../src-main/shared/call-labels';
import { argFields } from '../../../src-main/shared/tool-arg-fields';
import { findTool, useCatalog } from '../../editor/editor-context';
import { TextField } from './fields';

export interface CallLabelValues {
  actionLabel?: string | undefined;
  argLabels?: Record<string, string> | undefined;
}

/** `argNames`: arguments the step sends besides those in the tool's schema (a tool step's own). */
export function CallLabelFields({ server, tool, labels, argNames = [], onChange, testId = 'call-labels' }: { server: string; tool: string; labels: CallLabelValues; argNames?: readonly string[]; onChange(next: CallLabelValues, field: string): void; testId?: string }) {
  const { t } = useTranslation('labels');
  const catalog = useCatalog();
  const found = findTool(catalog, server, tool);
  const schema = found ? schemaArgLabels(found.tool.inputSchema) : {};
  const names = [...new Set([...(found ? argFields(found.tool.inputSchema).map((f) => f.name) : []), ...argNames, ...Object.keys(labels.argLabels ?? {})])];
  const suggestion = found?.tool.title?.trim();

  const setAction = (value: string) => onChange({ ...labels, actionLabel: value.trim() === '' ? undefined : value }, 'actionLabel');
  const setArg = (name: string, value: string) => {
    const next = Object.fromEntries(Object.entries(labels.argLabels ?? {}).filter(([k]) => k !== name));
    if (value.trim() !== '') next[name] = value;
    onChange({ ...labels, argLabels: Object.keys(next).length > 0 ? next : undefined }, `argLabel:${name}`);
  };

  return (
    <details className="call-labels" data-testid={testId} open={labels.actionLabel !== undefined || Object.keys(labels.argLabels ?? {}).length > 0}>
      <summary className="section-title">{t('summary')}</summary>
      <p className="field-hint">{t('intro')}</p>
      <TextField label={t('actionLabel')} value={labels.actionLabel ?? ''} onChange={setAction} placeholder={suggestion ?? t('actionPlaceholder')} hint={t('actionHint', { tool, server })} testId={`${testId}-action`} />
      {suggestion && suggestion !== labels.actionLabel && (
        <button type="button" className="btn btn-small" onClick={() => setAction(suggestion)} data-testid={`${testId}-suggest`}>
          {t('useSuggestion', { suggestion })}
        </button>
      )}
      {names.map((name) => (
        <TextField key={name} label={t('argLabel', { name })} value={labels.argLabels && Object.hasOwn(labels.argLabels, name) ? labels.argLabels[name]! : ''} onChange={(v) => setArg(name, v)} placeholder={Object.hasOwn(schema, name) ? schema[name] : name} testId={`${testId}-arg-${name}`} />
      ))}
    </details>
  );
}
