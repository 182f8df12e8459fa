// Says plainly when the OS keychain cannot be used: secrets cannot be stored or read then, and
// Flowbot never falls back to keeping them on disk.
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';

export function KeychainNotice() {
  const api = useApi();
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.call('secrets.status', {}).then(
      (out) => live && setProblem(out.keychain.available ? null : (out.keychain.message ?? 'The OS keychain cannot be used.')),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  if (!problem) return null;
  return (
    <div className="callout callout-error" role="alert" data-testid="keychain-problem">
      <strong>Secrets cannot be stored right now.</strong> {problem}
    </div>
  );
}
