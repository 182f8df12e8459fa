// An AI step's knowledge collections (README "Answers from your documents"): which collections
// it searches, how many passages the model gets, and whether it says "I don't know".
import { useTranslation } from 'react-i18next';
import type { LlmKnowledge } from '../../../src-main/shared/flow';
import { CheckedField, checkWholeNumber } from './fields';

export function KnowledgeField({ value, onChange }: { value: LlmKnowledge | undefined; onChange(next: LlmKnowledge | undefined, field: string): void }) {
  const { t } = useTranslation('knowledge');
  const names = value?.collections.join(', ');
  const setCollections = (text: string | undefined) => {
    const collections = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    onChange(collections.length ? { ...value, collections } : undefined, 'knowledge.collections');
  };
  return (
    <div className="field" data-testid="llm-knowledge">
      <CheckedField label={t('inspector.collections')} optional value={names} onCommit={setCollections} check={() => null} placeholder={t('inspector.collectionsPlaceholder')} hint={t('inspector.collectionsHint')} testId="llm-knowledge-collections" />
      {value && (
        <>
          <CheckedField
            label={t('inspector.limit')}
            optional
            value={value.limit?.toString()}
            onCommit={(v) => onChange({ ...value, limit: v === undefined ? undefined : Number(v) }, 'knowledge.limit')}
            check={checkWholeNumber(1, 20)}
            inputMode="numeric"
            placeholder="4"
          />
          <label className="row small">
            <input type="checkbox" checked={value.unknownAnswer === true} onChange={(e) => onChange({ ...value, unknownAnswer: e.target.checked || undefined }, 'knowledge.unknownAnswer')} data-testid="llm-knowledge-unknown" />
            {t('inspector.unknownAnswer')}
          </label>
        </>
      )}
    </div>
  );
}
