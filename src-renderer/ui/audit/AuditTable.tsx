// The tool calls, newest first: one row per call; a row opens its details.
import { useTranslation } from 'react-i18next';
import type { AuditSummary } from '../../../src-main/shared/api/audit';
import { Icon } from '../icons';
import { duration, fullTime, namesOf, shortId, tableTime } from './audit-view';
import { StatusChip } from './StatusChip';

interface Props {
  records: AuditSummary[];
  selected: number | null;
  /** The first record verify found bad: marked in the table. */
  broken: number | null;
  onSelect(seq: number): void;
}

export function AuditTable({ records, selected, broken, onSelect }: Props) {
  const { t } = useTranslation('audit');
  return (
    <div className="audit-table-wrap">
      <table className="audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('columns.time')}</th>
            <th scope="col">{t('columns.bot')}</th>
            <th scope="col">{t('columns.conversation')}</th>
            <th scope="col">{t('columns.flowStep')}</th>
            <th scope="col">{t('columns.server')}</th>
            <th scope="col">{t('columns.tool')}</th>
            <th scope="col">{t('columns.status')}</th>
            <th scope="col" className="num">
              {t('columns.duration')}
            </th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => {
            const names = namesOf(r);
            return (
            <tr
              key={r.seq}
              className={[r.seq === selected ? 'is-selected' : '', r.seq === broken ? 'is-broken' : ''].join(' ').trim() || undefined}
              aria-selected={r.seq === selected}
              onClick={() => onSelect(r.seq)}
              data-testid="audit-row"
              data-seq={r.seq}
              data-status={r.status}
            >
              <td className="num muted">
                {r.seq === broken && (
                  <span className="audit-broken-mark" title={t('table.brokenMark')} data-testid="audit-broken-mark">
                    <Icon name="alert" />
                  </span>
                )}
                {r.seq}
              </td>
              <td className="audit-time">
                {/* The keyboard way in: the row's click handler is for the mouse. */}
                <button
                  type="button"
                  className="link audit-open"
                  onClick={(e) => {
                    e.stopPropagation();
                    onSelect(r.seq);
                  }}
                  title={t('table.openRecord', { time: fullTime(r.time), seq: r.seq })}
                >
                  {tableTime(r.time)}
                </button>
              </td>
              <td title={r.bot}>{names.bot ?? <span className="muted" title={t('table.noBot')}>—</span>}</td>
              <td>
                <code title={r.conversationId}>{shortId(r.conversationId)}</code>
              </td>
              <td className="audit-where" title={`${r.flowId} › ${r.nodeId}`}>
                {names.flow} <span className="muted">›</span> {names.step}
              </td>
              <td>{r.server}</td>
              <td>
                <code>{r.tool}</code>
              </td>
              <td>
                <StatusChip status={r.status} />
              </td>
              <td className="num">{duration(r.durationMs)}</td>
            </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
