// What is wrong with the flow, as the validator says it, updated as you edit. Clicking a problem
// selects its step and brings it into view; an unguarded write tool offers the one-click fix.
import type { Problem } from '../../src-main/shared/problem';
import { useEditor, useEditorStore } from '../editor/editor-context';
import { useTranslation } from 'react-i18next';
import { Icon } from './icons';
import { problemMessage } from './problem-message';

export const FIXABLE = 'WRITE_TOOL_UNGUARDED';

export function ProblemsPanel() {
  const { t, i18n } = useTranslation('problems');
  const store = useEditorStore();
  const problems = useEditor((s) => s.problems);
  const checking = useEditor((s) => s.problemsRevision < s.revision);
  const checked = useEditor((s) => s.problemsRevision >= 0);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;

  const show = (p: Problem) => {
    const s = store.getState();
    if (p.nodeId && s.nodes.some((n) => n.id === p.nodeId)) {
      s.selectOnly([p.nodeId]);
      s.focusOn([p.nodeId]);
    } else if (p.edgeId) {
      const edge = s.edges.find((e) => e.id === p.edgeId);
      if (edge) {
        s.selectOnly([], [edge.id]);
        s.focusOn([edge.source, edge.target]);
      }
    }
  };

  return (
    <section className="problems" aria-labelledby="problems-title" data-testid="problems">
      <h2 id="problems-title" className="panel-title">
        {t('panel.title')}
        {checking && checked && <span className="muted small"> · {t('panel.checking')}</span>}
      </h2>
      {!checked ? (
        <p className="panel-hint">{t('panel.checkingFlow')}</p>
      ) : problems.length === 0 ? (
        <p className="all-good" data-testid="no-problems">
          <Icon name="check" /> {t('panel.none')}
        </p>
      ) : (
        <>
          <p className="panel-hint" data-testid="problem-summary">
            {errors > 0 && t('panel.toFix', { count: errors })}
            {errors > 0 && warnings > 0 && ' · '}
            {warnings > 0 && t('panel.hints', { count: warnings })}
          </p>
          <ul className="problem-list">
            {problems.map((p, i) => (
              <li key={`${p.code}-${p.nodeId ?? ''}-${p.edgeId ?? ''}-${i}`} className={`problem problem-${p.severity}`} data-testid="problem" data-code={p.code} data-node={p.nodeId ?? ''}>
                <button type="button" className="problem-main" onClick={() => show(p)} title={p.nodeId || p.edgeId ? t('panel.show') : undefined}>
                  <span className="problem-icon">{p.severity === 'error' ? <Icon name="alert" /> : <Icon name="warning" />}</span>
                  <span className="problem-text">{problemMessage(p, i18n.language)}</span>
                </button>
                {p.code === FIXABLE && p.nodeId && (
                  <button
                    type="button"
                    className="btn btn-small btn-fix"
                    data-testid={`fix-${p.nodeId}`}
                    onClick={() => {
                      const askId = store.getState().addConfirmation(p.nodeId!);
                      if (askId) store.getState().focusOn([askId, p.nodeId!]);
                    }}
                  >
                    {t('panel.addConfirmation')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
