// The studio's language: follow the system (the default) or one of the languages it speaks.
// The pick is kept in this browser profile (i18n/index.ts) and applies at once, without a reload.
import { useTranslation } from 'react-i18next';
import { isUiLanguage, pickedLanguage, pickLanguage, systemLanguage, UI_LANGUAGES, type UiLanguage } from '../../i18n';

const SYSTEM = 'system';

/** A language's name in that language ("Português (Brasil)"), as a picker shows it. */
function ownName(language: UiLanguage): string {
  const name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
  return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
}

export function LanguagePicker() {
  const { t } = useTranslation('settings');
  const picked = pickedLanguage();
  return (
    <label className="language-picker">
      <span className="muted small">{t('language.label')}</span>
      <select
        value={picked ?? SYSTEM}
        data-testid="ui-language"
        onChange={(e) => void pickLanguage(isUiLanguage(e.target.value) ? e.target.value : null)}
      >
        <option value={SYSTEM}>{t('language.system', { language: ownName(systemLanguage()) })}</option>
        {UI_LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {ownName(language)}
          </option>
        ))}
      </select>
    </label>
  );
}
