// The screens, addressed by the URL hash so a reload (or the desktop app's reload) stays put:
//   #/                    the flows list
//   #/flow/<id>           the editor for one flow
//   #/settings[/<part>]   the settings: bots, model (llm), MCP servers
//   #/audit               the audit log (every tool call)
//   #/whatsapp            the active bot's WhatsApp: link, flow, pause, conversations
//   #/knowledge           the active bot's knowledge collections (documents AI steps answer from)
import { useEffect, useState } from 'react';

export const SETTINGS_SECTIONS = ['bots', 'llm', 'mcp'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export type Route =
  | { screen: 'flows' }
  | { screen: 'editor'; flowId: string }
  | { screen: 'settings'; section: SettingsSection }
  | { screen: 'audit' }
  | { screen: 'whatsapp' }
  | { screen: 'knowledge' };

export function parseRoute(hash: string): Route {
  if (hash === '#/audit') return { screen: 'audit' };
  if (hash === '#/whatsapp') return { screen: 'whatsapp' };
  if (hash === '#/knowledge') return { screen: 'knowledge' };
  const m = /^#\/flow\/([a-z0-9][a-z0-9-]*)$/.exec(hash);
  if (m) return { screen: 'editor', flowId: m[1]! };
  const s = /^#\/settings(?:\/([a-z]+))?$/.exec(hash);
  if (s) {
    const section = SETTINGS_SECTIONS.find((x) => x === s[1]) ?? 'bots';
    return { screen: 'settings', section };
  }
  return { screen: 'flows' };
}

export const hrefOf = (route: Route): string => {
  if (route.screen === 'editor') return `#/flow/${route.flowId}`;
  if (route.screen === 'settings') return `#/settings/${route.section}`;
  if (route.screen === 'audit') return '#/audit';
  if (route.screen === 'whatsapp') return '#/whatsapp';
  if (route.screen === 'knowledge') return '#/knowledge';
  return '#/';
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
