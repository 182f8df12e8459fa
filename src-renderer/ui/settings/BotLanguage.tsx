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
      <label className="field">
        <span className="field-label">{t('botLanguage')}</span>
        <select value={language} onChange={(e) => setLanguage(e.target.value)} data-testid="bot-language-select">
          {SUPPORTED_LANGUAGES.map((tag) => (
            <option key={tag} value={tag}>
              {nameOf(tag)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('textsIn')}</span>
        <select value={editing} onChange={(e) => setEditing(e.target.value)} data-testid="bot-texts-language">
          {SUPPORTED_LANGUAGES.map((tag) => (
            <option key={tag} value={tag}>
              {nameOf(tag)}
            </option>
          ))}
        </select>
      </label>
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
