// The active bot's model: provider, address, API key (to the keychain), the model from the
// provider's own list, "Test connection", and for Ollama pulling a model.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LlmTarget } from '../../../src-main/shared/api/settings';
import type { LlmModelInfo } from '../../../src-main/shared/llm-message';
import type { LlmConfig, WorkspaceConfig } from '../../../src-main/shared/workspace-config';
import { useApi } from '../../api/api-context';
import { userMessage } from '../../api/client';
import { Icon } from '../icons';
import { toast } from '../toasts';
import { PullModel } from './PullModel';
import { SecretField } from './SecretField';
import { attempt, useWorkspace } from './use-settings';

type Provider = LlmConfig['provider'];

/** A model name shown as the example (a name, the same in every language). */
const EXAMPLE_MODEL = 'qwen3:4b';

const DEFAULTS: Record<Provider, { address: string; key: string }> = {
  ollama: { address: 'http://127.0.0.1:11434', key: 'ollama-key' },
  openai: { address: 'https://api.openai.com/v1', key: 'openai-key' },
};

export function LlmPanel() {
  const { t } = useTranslation();
  const { config } = useWorkspace();
  if (!config) return <p className="muted">{t('loading')}</p>;
  return <LlmForm config={config} />;
}

function LlmForm({ config }: { config: WorkspaceConfig }) {
  const { t } = useTranslation('settings');
  const api = useApi();
  const saved = config.llm;
  const [provider, setProvider] = useState<Provider>(saved?.provider ?? 'ollama');
  const [address, setAddress] = useState((saved?.provider === 'openai' ? saved.baseUrl : saved?.host) ?? saved?.host ?? '');
  const [model, setModel] = useState(saved?.model ?? '');
  const savedKey = saved?.apiKey;
  const keyName = savedKey && typeof savedKey !== 'string' && 'secret' in savedKey ? savedKey.secret : DEFAULTS[provider].key;
  /** Whether the key is in the keychain; undefined until known (the saved reference is used meanwhile). */
  const [keyStored, setKeyStored] = useState<boolean | undefined>(undefined);
  const [models, setModels] = useState<LlmModelInfo[] | null>(null);
  const [modelsError, setModelsError] = useState<string | null>(null);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  /** The form as LLM settings (the model may still be unchosen). */
  const target = useMemo((): LlmTarget => {
    const where = address.trim();
    const otherKey = savedKey && (typeof savedKey === 'string' || 'env' in savedKey) ? savedKey : undefined;
    const apiKey = keyStored === true ? { secret: keyName } : keyStored === undefined ? savedKey : otherKey;
    return {
      provider,
      ...(where ? (provider === 'ollama' ? { host: where } : { baseUrl: where }) : {}),
      ...(model ? { model } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(saved?.headers ? { headers: saved.headers } : {}),
      ...(saved?.timeoutMs ? { timeoutMs: saved.timeoutMs } : {}),
    };
  }, [provider, address, model, keyStored, keyName, savedKey, saved?.headers, saved?.timeoutMs]);

  const loadModels = useCallback(async (llm: LlmTarget) => {
    setModelsError(null);
    try {
      setModels((await api.call('llm.models', { llm })).models);
    } catch (e) {
      setModels(null);
      setModelsError(userMessage(e));
    }
  }, [api]);

  // The saved settings' model list, once when the panel opens (later: "Load models").
  const [loadedOnce, setLoadedOnce] = useState(false);
  useEffect(() => {
    if (loadedOnce || !saved) return;
    setLoadedOnce(true);
    void loadModels(target);
  }, [loadedOnce, saved, loadModels, target]);

  const runTest = async () => {
    setBusy(true);
    try {
      const result = await api.call('llm.test', { llm: target });
      setTest({ ok: result.ok, message: result.message });
      if (result.models) setModels(result.models);
    } catch (e) {
      setTest({ ok: false, message: userMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  // Saving does not need the server: an owner may set the model up before installing Ollama.
  const [saveWarning, setSaveWarning] = useState<string | null>(null);
  const save = () =>
    attempt(async () => {
      const chosen = target.model?.trim();
      if (!chosen) throw new Error(t('llm.chooseModelFirst'));
      const { warning } = await api.call('llm.save', { llm: { ...target, model: chosen } });
      setSaveWarning(warning ?? null);
      toast({ message: warning ? t('llm.savedWithNote') : t('llm.saved'), tone: warning ? 'info' : 'success' });
    });

  const names = models?.map((m) => m.name) ?? [];
  const onPulled = useCallback(
    (pulled: string) => {
      setModel(pulled);
      void loadModels({ ...target, model: pulled });
    },
    [loadModels, target],
  );

  return (
    <section className="settings-panel" aria-labelledby="llm-title" data-testid="llm-panel">
      <h2 id="llm-title">{t('llm.title')}</h2>
      <p className="muted">{t('llm.intro')}</p>

      <fieldset className="choice-row">
        <legend className="field-label">{t('llm.provider')}</legend>
        {(Object.keys(DEFAULTS) as Provider[]).map((p) => (
          <label key={p} className={`choice ${provider === p ? 'is-chosen' : ''}`}>
            <input
              type="radio"
              name="provider"
              checked={provider === p}
              onChange={() => {
                setProvider(p);
                setModels(null);
                setTest(null);
              }}
              data-testid={`provider-${p}`}
            />
            {t(`llm.providers.${p}`)}
          </label>
        ))}
      </fieldset>

      <label className="field">
        <span className="field-label">{provider === 'ollama' ? t('llm.ollamaAddress') : t('llm.baseUrl')}</span>
        <input value={address} onChange={(e) => setAddress(e.target.value)} placeholder={DEFAULTS[provider].address} data-testid="llm-address" />
        <span className="field-hint">{t('llm.emptyMeans', { address: DEFAULTS[provider].address })}</span>
      </label>

      <SecretField
        key={`${provider}:${keyName}`}
        scope="llm"
        name={keyName}
        label={provider === 'ollama' ? t('llm.apiKeyOllama') : t('llm.apiKey')}
        testId="llm-key"
        onPresence={setKeyStored}
      />

      <div className="field">
        <span className="field-label">{t('llm.model')}</span>
        <div className="row">
          {models === null ? (
            // No list (not loaded yet, or the server cannot be reached): the name can be typed.
            <input value={model} onChange={(e) => setModel(e.target.value)} aria-label={t('llm.model')} placeholder={EXAMPLE_MODEL} data-testid="llm-model-name" />
          ) : (
            <select value={model} onChange={(e) => setModel(e.target.value)} aria-label={t('llm.model')} data-testid="llm-model">
              <option value="">{t('llm.chooseModel')}</option>
              {model && !names.includes(model) && <option value={model}>{t('llm.notOnServer', { model })}</option>}
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          )}
          <button type="button" className="btn" onClick={() => void loadModels(target)} data-testid="llm-load-models">
            <Icon name="refresh" /> {t('llm.loadModels')}
          </button>
        </div>
        {modelsError && (
          <span className="field-error" role="alert" data-testid="llm-models-error">
            {modelsError}
          </span>
        )}
      </div>

      <div className="row">
        <button type="button" className="btn" onClick={() => void runTest()} disabled={busy} data-testid="llm-test">
          {t('llm.test')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="llm-save">
          <Icon name="save" /> {t('common:actions.save')}
        </button>
      </div>
      {saveWarning && (
        <div className="callout callout-warning" role="status" data-testid="llm-save-warning">
          <Icon name="alert" /> {saveWarning}
        </div>
      )}
      {test && (
        <div className={`callout ${test.ok ? 'callout-ok' : 'callout-error'}`} role="status" data-testid="llm-test-result">
          {test.ok ? <Icon name="check" /> : <Icon name="alert" />} {test.message}
        </div>
      )}

      {provider === 'ollama' && <PullModel llm={target} onPulled={onPulled} />}
    </section>
  );
}
