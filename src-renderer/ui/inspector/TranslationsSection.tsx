// The flow's languages in the inspector (README "Multilingual flows"): speak the customer's
// language or always the flow's, the translation languages with what each still lacks (per
// step), and "Draft missing translations": the bot's model drafts them and the owner accepts,
// edits or rejects each one; only an accepted draft changes the flow (editor/translation-review.ts).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context';
import { useEditor, useEditorStore } from '../../editor/editor-context';
import { acceptDraft, gapsByLanguage, optionsFromLines, rejectDraft, requestDrafts, SUGGESTED_LANGUAGES, type Review, type ReviewItem } from '../../editor/translation-review';
import { isLanguageTag, ownLanguage } from '../../../src-main/shared/flow-translations';

const shown = (text: string | string[]): string => (Array.isArray(text) ? text.join('\n') : text);

export function TranslationsSection() {
  const { t } = useTranslation('translations');
  const api = useApi();
  const store = useEditorStore();
  const meta = useEditor((s) => s.meta);
  const nodes = useEditor((s) => s.nodes);
  const updateMeta = useEditor((s) => s.updateMeta);
  const [adding, setAdding] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (!meta) return null;
  const own = ownLanguage(meta);
  const gaps = gapsByLanguage(meta, nodes);
  const stepName = (id: string) => nodes.find((n) => n.id === id)?.data.step.label?.trim() || id;

  const addLanguage = () => {
    const tag = adding.trim();
    if (!isLanguageTag(tag) || tag === own || meta.translations?.[tag]) return;
    updateMeta({ translations: { ...(meta.translations ?? {}), [tag]: {} } });
    setAdding('');
    setOpen(tag);
  };

  const draft = async (language: string) => {
    setBusy(language);
    setFailure(null);
    try {
      const state = store.getState();
      setReview(await requestDrafts(api, state.meta!, state.nodes, language));
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  };

  const accept = (index: number, edited?: string | string[]) => {
    if (!review) return;
    const result = acceptDraft(store.getState().meta?.translations, review, index, edited);
    if ('error' in result) return setFailure(t(`error.${result.error}`));
    updateMeta({ translations: result.translations });
    setReview(result.review);
  };

  return (
    <section className="translations" data-testid="translations">
      <div className="section-title">{t('title')}</div>
      <label className="check">
        <input type="checkbox" checked={meta.detectLanguage === true} onChange={(e) => updateMeta({ detectLanguage: e.target.checked ? true : undefined })} data-testid="detect-language" />{' '}
        {t('detect')}
      </label>
      <p className="field-hint">{t('detectHint', { language: own })}</p>

      {gaps.map((g) => (
        <div key={g.language} className="translation-language" data-testid={`translation-${g.language}`}>
          <button type="button" className="btn btn-small" onClick={() => setOpen(open === g.language ? null : g.language)} aria-expanded={open === g.language}>
            {t('languageLine', { language: g.language, status: g.missing === 0 ? t('complete') : t('missing', { count: g.missing }) })}
          </button>
          {open === g.language && (
            <>
              <ul className="translation-gaps">
                {g.steps.map((s) => (
                  <li key={s.nodeId} data-testid={`gap-${g.language}-${s.nodeId}`}>
                    {t('gapLine', { step: stepName(s.nodeId), fields: s.fields.map((f) => t(`field.${f.field}`)).join(', ') })}
                  </li>
                ))}
              </ul>
              {g.missing > 0 && (
                <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void draft(g.language)} data-testid="draft-missing">
                  {busy === g.language ? t('drafting') : t('draft')}
                </button>
              )}
            </>
          )}
        </div>
      ))}

      <div className="translation-add">
        <input list="translation-languages" value={adding} placeholder={t('addPlaceholder')} onChange={(e) => setAdding(e.target.value)} data-testid="translation-add" aria-label={t('add')} />
        <datalist id="translation-languages">
          {SUGGESTED_LANGUAGES.filter((l) => l !== own).map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <button type="button" className="btn btn-small" onClick={addLanguage} disabled={!isLanguageTag(adding.trim())}>
          {t('add')}
        </button>
      </div>

      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {review && <ReviewList review={review} stepName={stepName} onAccept={accept} onReject={(i) => setReview(rejectDraft(review, i))} onClose={() => setReview(null)} />}
    </section>
  );
}

function ReviewList({ review, stepName, onAccept, onReject, onClose }: { review: Review; stepName(id: string): string; onAccept(i: number, edited?: string | string[]): void; onReject(i: number): void; onClose(): void }) {
  const { t } = useTranslation('translations');
  const pending = review.items.filter((i) => i.state === 'pending').length;
  return (
    <div className="translation-review" data-testid="translation-review">
      <div className="section-title">{t('reviewTitle', { language: review.language, count: pending })}</div>
      {review.items.map((item, i) => (
        <DraftCard key={`${item.nodeId}.${item.field}`} item={item} stepName={stepName} onAccept={(edited) => onAccept(i, edited)} onReject={() => onReject(i)} />
      ))}
      {review.undrafted.map((u) => (
        <p key={`${u.nodeId}.${u.field}`} className="muted small">
          {t('undrafted', { step: stepName(u.nodeId), field: t(`field.${u.field}`), reason: u.reason })}
        </p>
      ))}
      <button type="button" className="btn btn-small" onClick={onClose}>
        {t('close')}
      </button>
    </div>
  );
}

function DraftCard({ item, stepName, onAccept, onReject }: { item: ReviewItem; stepName(id: string): string; onAccept(edited?: string | string[]): void; onReject(): void }) {
  const { t } = useTranslation('translations');
  const [text, setText] = useState(shown(item.draft));
  const edited = text !== shown(item.draft);
  const value = Array.isArray(item.source) ? optionsFromLines(text) : text;
  return (
    <div className={`draft draft-${item.state}`} data-testid={`draft-${item.nodeId}-${item.field}`}>
      <div className="small">
        {t('draftHeading', { step: stepName(item.nodeId), field: t(`field.${item.field}`) })}
      </div>
      <p className="muted small">{shown(item.source)}</p>
      {item.state === 'pending' ? (
        <>
          <textarea value={text} rows={Array.isArray(item.source) ? item.source.length : 2} onChange={(e) => setText(e.target.value)} aria-label={t('draftLabel')} />
          <button type="button" className="btn btn-small" onClick={() => onAccept(edited ? value : undefined)}>
            {edited ? t('acceptEdited') : t('accept')}
          </button>{' '}
          <button type="button" className="btn btn-small btn-danger-soft" onClick={onReject}>
            {t('reject')}
          </button>
        </>
      ) : (
        <p className="small">{item.state === 'accepted' ? t('accepted') : t('rejected')}</p>
      )}
    </div>
  );
}
