// The flow's language (flow.language): what the bot says by itself and how it reads yes and no.
// Empty: the bot's language. A tag the studio has no texts for (typed into the file) stays
// selectable, so opening the flow never changes it; the checker warns about it.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SUPPORTED_LANGUAGES } from '../../../src-main/shared/customer-texts';
import { useLanguageName } from '../settings/BotLanguage';

export function FlowLanguageField({ value, onChange }: { value: string | undefined; onChange(language: string | undefined): void }) {
  const { t } = useTranslation('language');
  const nameOf = useLanguageName();
  const id = useId();
  const tags = value === undefined || SUPPORTED_LANGUAGES.includes(value) ? SUPPORTED_LANGUAGES : [...SUPPORTED_LANGUAGES, value];
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {t('flowLanguage')}
      </label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} data-testid="flow-language">
        <option value="">{t('flowLanguageDefault')}</option>
        {tags.map((tag) => (
          <option key={tag} value={tag}>
            {nameOf(tag)}
          </option>
        ))}
      </select>
      <p className="muted small">{t('flowLanguageHint')}</p>
    </div>
  );
}
