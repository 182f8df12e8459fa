// The filter bar: status, bot, server, tool, flow (the values that occur in the log),
// conversation, words anywhere in a record, and a time range.
import { useTranslation } from 'react-i18next';
import type { AuditFacets } from '../../../src-main/shared/api/audit';
import { EMPTY_FILTERS, isFiltered, rangeProblem, STATUSES, statusLook, type FilterForm } from './audit-view';

interface Props {
  form: FilterForm;
  facets: AuditFacets | null;
  onChange(form: FilterForm): void;
}

export function AuditFilters({ form, facets, onChange }: Props) {
  const { t } = useTranslation('audit');
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => onChange({ ...form, [key]: value });
  const problem = rangeProblem(form);
  return (
    <form className="audit-filters" role="search" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
      <label className="audit-filter">
        <span>{t('filters.status')}</span>
        <select value={form.status} onChange={(e) => set('status', e.currentTarget.value as FilterForm['status'])} data-testid="filter-status">
          <option value="">{t('filters.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLook(s).label}
            </option>
          ))}
        </select>
      </label>
      <FacetSelect label={t('filters.bot')} any={t('filters.anyBot')} value={form.bot} options={facets?.bots} names={facets?.names?.bots} onChange={(v) => set('bot', v)} testId="filter-bot" />
      <FacetSelect label={t('filters.server')} any={t('filters.anyServer')} value={form.server} options={facets?.servers} onChange={(v) => set('server', v)} testId="filter-server" />
      <FacetSelect label={t('filters.tool')} any={t('filters.anyTool')} value={form.tool} options={facets?.tools} onChange={(v) => set('tool', v)} testId="filter-tool" />
      <FacetSelect label={t('filters.flow')} any={t('filters.anyFlow')} value={form.flowId} options={facets?.flows} names={facets?.names?.flows} onChange={(v) => set('flowId', v)} testId="filter-flow" />
      <label className="audit-filter">
        <span>{t('filters.conversation')}</span>
        <input
          value={form.conversationId}
          placeholder={t('filters.conversationId')}
          spellCheck={false}
          onChange={(e) => set('conversationId', e.currentTarget.value)}
          data-testid="filter-conversation"
        />
      </label>
      <label className="audit-filter audit-filter-text">
        <span>{t('filters.contains')}</span>
        <input
          type="search"
          value={form.text}
          placeholder={t('filters.containsPlaceholder')}
          onChange={(e) => set('text', e.currentTarget.value)}
          data-testid="filter-text"
        />
      </label>
      <label className="audit-filter">
        <span>{t('filters.from')}</span>
        <input type="datetime-local" step={1} value={form.from} onChange={(e) => set('from', e.currentTarget.value)} data-testid="filter-from" aria-invalid={problem ? true : undefined} />
      </label>
      <label className="audit-filter">
        <span>{t('filters.to')}</span>
        <input type="datetime-local" step={1} value={form.to} onChange={(e) => set('to', e.currentTarget.value)} data-testid="filter-to" aria-invalid={problem ? true : undefined} />
      </label>
      <div className="audit-filter audit-filter-actions">
        <button type="button" className="btn btn-ghost btn-small" disabled={!isFiltered(form)} onClick={() => onChange(EMPTY_FILTERS)} data-testid="filter-clear">
          {t('filters.clear')}
        </button>
      </div>
      {problem && (
        <p className="field-error audit-filter-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function FacetSelect(props: {
  label: string;
  any: string;
  value: string;
  options: string[] | undefined;
  /** id -> name: the option shows the name, the filter uses the id. */
  names?: Record<string, string> | undefined;
  onChange(value: string): void;
  testId: string;
}) {
  // A value chosen before (or typed into the address) stays selectable even if no record has it now.
  const options = props.options ?? [];
  const all = props.value && !options.includes(props.value) ? [props.value, ...options] : options;
  return (
    <label className="audit-filter">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)} data-testid={props.testId}>
        <option value="">{props.any}</option>
        {all.map((o) => (
          <option key={o} value={o} title={o}>
            {props.names?.[o] ?? o}
          </option>
        ))}
      </select>
    </label>
  );
}
