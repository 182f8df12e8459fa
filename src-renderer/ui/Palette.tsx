// The steps a flow is made of: drag one onto the canvas (or press Enter / click to add it in
// the middle of the view).
import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import type { NodeType } from '../../src-main/shared/flow';
import { useEditorStore } from '../editor/editor-context';
import { PALETTE, STEP_KINDS } from '../editor/step-catalog';
import { STEP_MIME } from './Canvas';
import { useTranslation } from 'react-i18next';
import { StepIcon } from './icons';

export function Palette() {
  const { t } = useTranslation('editor');
  const store = useEditorStore();
  const rf = useReactFlow();

  const addInView = (type: NodeType) => {
    const box = document.querySelector('.canvas')?.getBoundingClientRect();
    const center = box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: window.innerWidth / 2, y: window.innerHeight / 2 };
    const at = rf.screenToFlowPosition(center);
    const jitter = (store.getState().nodes.length % 5) * 16;
    store.getState().addStep(type, { x: Math.round(at.x - 100 + jitter), y: Math.round(at.y - 24 + jitter) });
  };

  return (
    <section className="palette" aria-labelledby="palette-title">
      <h2 id="palette-title" className="panel-title">
        {t('palette.title')}
      </h2>
      <p className="panel-hint">{t('palette.hint')}</p>
      <ul className="palette-list">
        {PALETTE.map((type) => {
          const kind = STEP_KINDS[type];
          return (
            <li key={type}>
              <button
                type="button"
                className={`palette-item tone-${kind.tone}`}
                draggable
                data-testid={`palette-${type}`}
                title={kind.help}
                aria-label={t('palette.itemLabel', { name: kind.name, help: kind.help })}
                onDragStart={(e: DragEvent) => {
                  e.dataTransfer.setData(STEP_MIME, type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => addInView(type)}
              >
                <span className="palette-icon">
                  <StepIcon type={type} size={16} />
                </span>
                <span className="palette-name">{kind.name}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
