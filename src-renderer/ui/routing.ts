// Two screens, addressed by the URL hash so a reload (or the desktop app's reload) stays put:
//   #/            the flows list
//   #/flow/<id>   the editor for one flow
//   #/audit       the audit log (every tool call)
import { useEffect, useState } from 'react';

export type Route = { screen: 'flows' } | { screen: 'editor'; flowId: string } | { screen: 'audit' };

export function parseRoute(hash: string): Route {
  if (hash === '#/audit') return { screen: 'audit' };
  const m = /^#\/flow\/([a-z0-9][a-z0-9-]*)$/.exec(hash);
  return m ? { screen: 'editor', flowId: m[1]! } : { screen: 'flows' };
}

export const hrefOf = (route: Route): string => {
  if (route.screen === 'audit') return '#/audit';
  return route.screen === 'editor' ? `#/flow/${route.flowId}` : '#/';
};

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
