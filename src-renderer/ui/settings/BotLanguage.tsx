// The active bot's language (for flows that name none) and the owner's own wording of what the
// bot says by itself, per language. Saved with the bot's settings (config `language`, `customerTexts`).
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_TEXT_KEYS, customerTexts, DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, type CustomerTextOverrides } from '../../../src-main/shared/customer-texts';
import { useApi } from '../../api/api-context';
import { toast } from '../toasts';
import { attempt, useWorkspace } from './use-settings';

/** A language's name in the studio's own language ("Português (Brasil)"). */
export function useLanguageName(): (tag: string) => string {
  const { i18n } = useTranslation('language');
  return (tag) => {
    try {
      return new Intl.DisplayNames([i18n.language || DEFAULT_LANGUAGE], { type: 'language' }).of(tag) ?? tag;
    } catch {
      return tag;
    }
  };
}

export function BotLanguage() {
  const { t } = useTranslation('language');
  const api = useApi();
  const nameOf = useLanguageName();
  const { config } = useWorkspace();
  const [language, setLanguage] = useState(DEFAULT_LANGUAGE);
  const [editing, setEditing] = useState(DEFAULT_LANGUAGE);
  const [overrides, setOverrides] = useState<Record<string, CustomerTextOverrides>>({});
  const ids = useId();

  useEffect(() => {
    if (!config) return;
    setLanguage(config.language ?? DEFAULT_LANGUAGE);
    setEditing(config.language ?? DEFAULT_LANGUAGE);
    setOverrides(config.customerTexts ?? {});
  }, [config]);
  if (!config) return null;

  const defaults = customerTexts(editing);
  const own = overrides[editing] ?? {};
  const setText = (key: keyof CustomerTextOverrides, text: string) => {
    const { [key]: _old, ...rest } = own;
    const next = text.trim() === '' ? rest : { ...rest, [key]: text };
    const { [editing]: _gone, ...others } = overrides;
    setOverrides(Object.keys(next).length > 0 ? { ...others, [editing]: next } : others);
  };
  const save = () =>
    attempt(async () => {
      const { language: _l, customerTexts: _c, ...rest } = config;
      await api.call('settings.save', {
        config: { ...rest, ...(language !== DEFAULT_LANGUAGE ? { language } : {}), ...(Object.keys(overrides).length > 0 ? { customerTexts: overrides } : {}) },
      });
      toast({ message: t('saved'), tone: 'success' });
    });

  return (
    <section className="settings-subpanel" aria-labelledby={`${ids}-title`} data-testid="bot-language">
      <h3 id={`${ids}-title`}>{t('title')}</h3>
      <p className="muted">{t('intro')}</p>
      <LanguageSelect label={t('botLanguage')} value={language} onChange={setLanguage} nameOf={nameOf} testId="bot-language-select" />
      <LanguageSelect label={t('textsIn')} value={editing} onChange={setEditing} nameOf={nameOf} testId="bot-texts-language" />
      <p className="muted small">{t('textsHint')}</p>
      {CUSTOMER_TEXT_KEYS.map((key) => (
        <label className="field" key={`${editing}-${key}`}>
          <span className="field-label">{t(`text.${key}`)}</span>
          <textarea rows={2} value={own[key] ?? ''} placeholder={defaults[key]} onChange={(e) => setText(key, e.target.value)} data-testid={`bot-text-${key}`} />
        </label>
      ))}
      <p className="muted small">{t('yesWords', { words: defaults.yesWords.join(', '), no: defaults.noWords.join(', ') })}</p>
      <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="bot-language-save">
        {t('save')}
      </button>
    </section>
  );
}

/** One of the languages the bot has texts in, by its name in the studio's language. */
function LanguageSelect(props: { label: string; value: string; onChange: (tag: string) => void; nameOf: (tag: string) => string; testId: string }) {
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {SUPPORTED_LANGUAGES.map((tag) => (
          <option key={tag} value={tag}>
            {props.nameOf(tag)}
          </option>
        ))}
      </select>
    </label>
  );
}
