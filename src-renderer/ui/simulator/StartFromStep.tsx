// "Start from this step": the selected step, with preset variables typed as JSON (prefilled with
// the variables saved before that step), checked as you type with the reason shown in words.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditor, useEditorStore } from '../../editor/editor-context';
import { RESERVED_VAR_NAMES } from '../../../src-main/shared/api/simulator';
import { variablesBefore } from '../../editor/variables';
import { parseVarsText, varsTemplate } from './sim-vars';
import { useSimulator, useSimulatorControls } from './SimulatorProvider';
import { useStepName } from './use-step-name';

/** Where the conversation starts, and the way to choose another step. */
export function StartBar() {
  const { t } = useTranslation('simulator');
  const controls = useSimulatorControls();
  const startAt = useSimulator((s) => s.recording?.startAt ?? null);
  const presetCount = useSimulator((s) => Object.keys(s.recording?.presetVars ?? {}).length);
  const selected = useEditor((s) => {
    let found: string | null = null;
    for (const n of s.nodes) {
      if (!n.selected) continue;
      if (found !== null) return null;
      found = n.id;
    }
    return found;
  });
  const nameOf = useStepName();
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <div className="sim-start" data-testid="sim-start-bar">
      <div className="sim-start-line">
        <span className="sim-start-text" data-testid="sim-start-at">
          {startAt === null ? (
            t('start.atStart')
          ) : presetCount > 0 ? (
            t('start.startedAtWith', { name: nameOf(startAt), count: presetCount })
          ) : (
            t('start.startedAt', { name: nameOf(startAt) })
          )}
        </span>
        {startAt !== null && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => void controls.start({})} data-testid="sim-start-beginning">
            {t('start.fromBeginning')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small"
          disabled={selected === null}
          title={selected === null ? t('start.selectFirst') : t('start.startAtTitle', { name: nameOf(selected) })}
          onClick={() => selected !== null && setEditing(selected)}
          data-testid="sim-start-here-open"
        >
          {t('start.fromSelected')}
        </button>
      </div>
      {editing !== null && <PresetForm key={editing} nodeId={editing} name={nameOf(editing)} onClose={() => setEditing(null)} />}
    </div>
  );
}

function PresetForm({ nodeId, name, onClose }: { nodeId: string; name: string; onClose(): void }) {
  const { t } = useTranslation('simulator');
  const controls = useSimulatorControls();
  const store = useEditorStore();
  // Prefilled once, when the form opens: the variables saved before this step, empty.
  const [text, setText] = useState(() => {
    const { nodes, edges } = store.getState();
    const saved = variablesBefore(nodeId, nodes, edges)
      .map((v) => v.name)
      .filter((v) => !v.includes('.') && !(RESERVED_VAR_NAMES as readonly string[]).includes(v));
    return varsTemplate(saved);
  });
  const parsed = parseVarsText(text);
  return (
    <form
      className="sim-preset"
      data-testid="sim-preset"
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.ok) return;
        onClose();
        void controls.start({ startAt: nodeId, vars: parsed.vars });
      }}
    >
      <label className="section-title" htmlFor="sim-preset-vars">
        {t('start.presetTitle', { name })}
      </label>
      <p className="panel-hint">{t('start.presetHint', { empty: '{}' })}</p>
      <textarea
        id="sim-preset-vars"
        className={`sim-preset-text${parsed.ok ? '' : ' is-invalid'}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={Math.min(10, Math.max(3, text.split('\n').length))}
        spellCheck={false}
        aria-invalid={!parsed.ok}
        aria-describedby={parsed.ok ? undefined : 'sim-preset-error'}
        data-testid="sim-preset-vars"
      />
      {!parsed.ok && (
        <p className="field-error" id="sim-preset-error" role="alert" data-testid="sim-preset-error">
          {parsed.error}
        </p>
      )}
      <div className="sim-preset-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          {t('start.cancel')}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={!parsed.ok} data-testid="sim-start-here">
          {t('start.here')}
        </button>
      </div>
    </form>
  );
}
