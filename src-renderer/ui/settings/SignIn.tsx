// The browser sign-in of a remote MCP server, on its card: "Sign in" when it asks for one,
// "Signed in" with the account, the authorization server and the token's expiry, "Sign in
// again" when the refresh failed, "Sign out". The studio opens the sign-in page itself when it
// can (desktop app, BROWSER); otherwise it opens here in a new tab, and stays as a link while
// the sign-in waits.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInStatus } from '../../../src-main/shared/api/mcp-sign-in';
import type { ServerStatus } from '../../../src-main/shared/api/settings';
import { useApi } from '../../api/api-context';
import { ownerText } from '../../i18n/owner-text';
import { Icon } from '../icons';
import { attempt } from './use-settings';

export interface SignInView {
  status: SignInStatus | null;
  /** The sign-in page of a sign-in under way (until the browser comes back). */
  pendingUrl: string | null;
  /** Why the last sign-in failed. */
  error: string | null;
  /** The server waits for the owner, not broken: its failure is not shown as one. */
  needsOwner: boolean;
  signIn(): Promise<unknown>;
  signOut(): Promise<unknown>;
}

/**
 * The sign-in state of a remote server (null for a program on this computer), following the
 * API's events and the server's status: a start that failed for want of a sign-in (its 401) is
 * how the studio learns that the server wants one.
 */
export function useSignIn(server: string, remote: boolean, serverStatus: ServerStatus | null, onChanged: () => void): SignInView {
  const api = useApi();
  const [status, setStatus] = useState<SignInStatus | null>(null);
  const [pendingUrl, setPendingUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const changed = useRef(onChanged);
  changed.current = onChanged;

  const reload = useCallback(async () => {
    if (!remote) return setStatus(null);
    try {
      setStatus(await api.call('mcp.signInStatus', { server }));
    } catch {
      setStatus(null);
    }
  }, [api, server, remote]);

  useEffect(() => {
    const offSignIn = api.on('mcp.signInChanged', (e) => {
      if (e.server !== server) return;
      setPendingUrl(null);
      setError(e.error ? ownerText(e.errorText, e.error) : null);
      void reload();
      changed.current();
    });
    return offSignIn;
  }, [api, server, reload]);
  const lastErrorAt = serverStatus?.lastError?.at;
  // Also the first load.
  useEffect(() => {
    void reload();
  }, [reload, serverStatus?.state, lastErrorAt]);

  const signIn = () =>
    attempt(async () => {
      setError(null);
      const out = await api.call('mcp.signIn', { server });
      setPendingUrl(out.authorizationUrl);
      if (!out.opened) window.open(out.authorizationUrl, '_blank', 'noopener,noreferrer');
    });
  const signOut = () =>
    attempt(async () => {
      setStatus(await api.call('mcp.signOut', { server }));
      changed.current();
    });

  const needsOwner = status?.state === 'needs-sign-in' || status?.state === 'sign-in-again' || (status?.state !== 'signed-in' && serverStatus?.state === 'failed' && serverStatus.lastError?.kind === 'sign_in');
  return { status, pendingUrl, error, needsOwner, signIn, signOut };
}

export function SignInSection({ view }: { view: SignInView }) {
  const { t, i18n } = useTranslation('signin');
  const { status, pendingUrl, error } = view;
  if (!status || status.state === 'not-needed' || status.state === 'unknown') return null;
  const waiting = pendingUrl !== null;
  const who = [status.account ? t('signedIn.as', { account: status.account }) : '', status.issuer ? t('signedIn.at', { issuer: status.issuer }) : ''].filter(Boolean).join(' ');
  const expiry = status.expiresAt !== undefined ? new Date(status.expiresAt).toLocaleString(i18n.resolvedLanguage) : undefined;

  return (
    <div className={`callout ${status.state === 'signed-in' ? 'callout-ok' : 'callout-warning'} sign-in`} data-testid="sign-in" data-state={status.state}>
      {status.state === 'signed-in' && (
        <>
          <p data-testid="signed-in">
            <Icon name="check" /> <strong>{t('signedIn.title')}</strong> {who}
          </p>
          {expiry && (
            <p className="muted small" data-testid="signed-in-expiry">
              {t('signedIn.expires', { time: expiry })}
            </p>
          )}
          <button type="button" className="btn btn-small" onClick={() => void view.signOut()} data-testid="sign-out">
            {t('signOut')}
          </button>
        </>
      )}
      {status.state !== 'signed-in' && (
        <>
          <p data-testid="sign-in-needed">
            <Icon name="key" /> <strong>{status.state === 'sign-in-again' ? t('again.title') : t('needed.title')}</strong>{' '}
            {status.state === 'sign-in-again' ? t('again.body') : t('needed.body')}
          </p>
          {status.state === 'sign-in-again' && status.reason && <p className="muted small">{ownerText(status.reasonText, status.reason)}</p>}
          {waiting ? (
            <p data-testid="sign-in-waiting">
              {t('waiting')}{' '}
              {pendingUrl && (
                <a href={pendingUrl} target="_blank" rel="noopener noreferrer" data-testid="sign-in-link">
                  {t('openPage')}
                </a>
              )}
            </p>
          ) : null}
          <button type="button" className="btn btn-small btn-primary" onClick={() => void view.signIn()} data-testid="sign-in-button">
            <Icon name="key" /> {status.state === 'sign-in-again' ? t('signInAgain') : t('signIn')}
          </button>
        </>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="sign-in-error">
          {t('failed', { reason: error })}
        </p>
      )}
    </div>
  );
}
