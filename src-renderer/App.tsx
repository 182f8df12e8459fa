// The page: the flows list, the editor, the settings, the audit log, WhatsApp or knowledge (by URL hash), a
// connection notice, and toasts. The settings and the audit log load when first opened, so the
// flows list and the editor start with less code.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProvider, useConnection } from './api/api-context';
import { createApiClient } from './api/client';
import { EditorScreen } from './ui/EditorScreen';
import { FlowsScreen } from './ui/FlowsScreen';
import { useRoute } from './ui/routing';
import { Toasts } from './ui/toasts';
import { useHandoffNotices } from './ui/whatsapp/handoff-notices';

const AuditScreen = lazy(() => import('./ui/audit/AuditScreen').then((m) => ({ default: m.AuditScreen })));
const WhatsAppScreen = lazy(() => import('./ui/whatsapp/WhatsAppScreen').then((m) => ({ default: m.WhatsAppScreen })));
const KnowledgeScreen = lazy(() => import('./ui/knowledge/KnowledgeScreen').then((m) => ({ default: m.KnowledgeScreen })));
const SettingsScreen = lazy(() => import('./ui/settings/SettingsScreen').then((m) => ({ default: m.SettingsScreen })));

export function App() {
  const client = useMemo(() => createApiClient(), []);
  useEffect(() => () => client.close(), [client]);
  return (
    <ApiProvider client={client}>
      <Screens />
      <ConnectionNotice />
      <Toasts />
    </ApiProvider>
  );
}

function Screens() {
  const { t } = useTranslation();
  const route = useRoute();
  useHandoffNotices();
  if (route.screen === 'editor') return <EditorScreen key={route.flowId} flowId={route.flowId} />;
  if (route.screen === 'flows') return <FlowsScreen />;
  return (
    <Suspense fallback={<p className="muted center">{t('app.opening')}</p>}>
      {route.screen === 'audit' ? (
        <AuditScreen />
      ) : route.screen === 'whatsapp' ? (
        <WhatsAppScreen />
      ) : route.screen === 'knowledge' ? (
        <KnowledgeScreen />
      ) : (
        <SettingsScreen section={route.section} />
      )}
    </Suspense>
  );
}

function ConnectionNotice() {
  const { t } = useTranslation();
  const state = useConnection();
  // Only after a moment: the first connection takes a few milliseconds and should not flash.
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (state === 'open') return setLate(false);
    const timer = setTimeout(() => setLate(true), 700);
    return () => clearTimeout(timer);
  }, [state]);
  if (state === 'open' || !late) return null;
  return (
    <div className={`connection connection-${state}`} role="status" data-testid="connection">
      {state === 'connecting' ? t('app.connecting') : t('app.reconnecting')}
    </div>
  );
}
