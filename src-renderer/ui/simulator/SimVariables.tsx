// The conversation's variables after the latest step (secrets masked by the app).
import { showValue } from './show-value';
import { useSimulator } from './SimulatorProvider';

export function SimVariables() {
  const vars = useSimulator((s) => s.recording?.vars);
  const entries = Object.entries(vars ?? {});
  if (entries.length === 0) return <p className="sim-empty">No variables yet: they appear as the conversation saves answers and results.</p>;
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
