// Says plainly when the OS keychain cannot be used: one sentence and what to do first, the
// technical explanation folded under "Details". Secrets cannot be stored or read then, and
// Flowbot never falls back to keeping them on disk.
import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../src-main/shared/api-contract';
import { useApi } from '../../api/api-context';

type KeychainState = ApiOutput<'secrets.status'>['keychain'];

export const KEYCHAIN_TEXTS = {
  locked: 'Your computer’s keychain is locked, so passwords and keys cannot be saved right now.',
  unavailable: 'Flowbot cannot reach your computer’s keychain, so passwords and keys cannot be saved right now.',
  actionLocked: 'Unlock it, then check again.',
  actionUnavailable: 'Make sure your keychain is running and unlocked (on Linux: GNOME Keyring or KWallet), then check again.',
  retry: 'Check again',
  details: 'Details',
  noDisk: 'Flowbot never stores secrets on disk instead.',
  fallback: 'The OS keychain cannot be used.',
} as const;

export function KeychainNotice() {
  const api = useApi();
  const [state, setState] = useState<KeychainState | null>(null);
  const check = useCallback(
    () =>
      api.call('secrets.status', {}).then(
        (out) => out.keychain,
        () => null,
      ),
    [api],
  );
  useEffect(() => {
    let live = true;
    void check().then((keychain) => live && setState(keychain));
    return () => {
      live = false;
    };
  }, [check]);
  if (!state || state.available) return null;
  const locked = state.problem === 'locked';
  return (
    <div className="callout callout-error keychain-problem" role="alert" data-testid="keychain-problem">
      <p data-testid="keychain-headline">
        <strong>{locked ? KEYCHAIN_TEXTS.locked : KEYCHAIN_TEXTS.unavailable}</strong> {locked ? KEYCHAIN_TEXTS.actionLocked : KEYCHAIN_TEXTS.actionUnavailable}{' '}
        <button type="button" className="btn btn-small" onClick={() => void check().then(setState)} data-testid="keychain-retry">
          {KEYCHAIN_TEXTS.retry}
        </button>
      </p>
      <details className="problem-details" data-testid="keychain-details">
        <summary>{KEYCHAIN_TEXTS.details}</summary>
        <p className="small">
          {state.message ?? KEYCHAIN_TEXTS.fallback} {KEYCHAIN_TEXTS.noDisk}
        </p>
      </details>
    </div>
  );
}
