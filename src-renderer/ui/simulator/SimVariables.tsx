// The conversation's variables after the latest step (secrets masked by the app).
import { useTranslation } from 'react-i18next';
import { showValue } from './show-value';
import { useSimulator } from './SimulatorProvider';

export function SimVariables() {
  const { t } = useTranslation('simulator');
  const vars = useSimulator((s) => s.recording?.vars);
  const entries = Object.entries(vars ?? {});
  if (entries.length === 0) return <p className="sim-empty">{t('variables.none')}</p>;
  return (
    <dl className="sim-vars" data-testid="sim-vars">
      {entries.map(([name, value]) => (
        <div key={name} className="sim-var" data-testid={`sim-var-${name}`}>
          <dt>{name}</dt>
          <dd>
            <pre className="trace-pre">{showValue(value)}</pre>
          </dd>
        </div>
      ))}
    </dl>
  );
}
