// The desktop window's options and the session / web-contents handlers, exactly as main.ts
// installs them. Kept here (Electron types only, no Electron at run time) so that a unit test
// reads the real ones: the Electron binary cannot run on CI.
import type { BrowserWindowConstructorOptions, HeadersReceivedResponse, OnHeadersReceivedListenerDetails, Session, WebContents } from 'electron';
import { isAllowedNavigation, secureWebPreferences, withCspHeader } from './harden';

type PermissionRequestHandler = NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>;
type PermissionCheckHandler = NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>;
type DevicePermissionHandler = NonNullable<Parameters<Session['setDevicePermissionHandler']>[0]>;
type WindowOpenHandler = Parameters<WebContents['setWindowOpenHandler']>[0];

/** The part of an Electron event the navigation handlers use. */
export interface NavigationEventLike {
  url: string;
  preventDefault(): void;
}

export interface SessionPolicy {
  /** Every permission request (camera, notifications, geolocation, ...) is denied. */
  permissionRequest: PermissionRequestHandler;
  permissionCheck: PermissionCheckHandler;
  devicePermission: DevicePermissionHandler;
  /** Our CSP replaces whatever the app origin's responses carry (the dev server). */
  headersReceived: (details: Pick<OnHeadersReceivedListenerDetails, 'url' | 'responseHeaders'>, callback: (response: HeadersReceivedResponse) => void) => void;
}

export interface ContentsPolicy {
  /** window.open and target=_blank links: denied. */
  windowOpen: WindowOpenHandler;
  /** Navigations, frame navigations and redirects away from the app's origin: prevented. */
  willNavigate: (event: NavigationEventLike) => void;
  willFrameNavigate: (event: NavigationEventLike) => void;
  willRedirect: (event: NavigationEventLike) => void;
  /** <webview> is off in webPreferences; attaching one is prevented as well. */
  willAttachWebview: (event: { preventDefault(): void }) => void;
}

export interface DesktopSecurity {
  windowOptions: BrowserWindowConstructorOptions;
  session: SessionPolicy;
  contents: ContentsPolicy;
}

/** Everything main.ts applies, for the page served at `appOrigin` with the given preload. */
export function desktopSecurity(options: { appOrigin: string; preloadPath: string }): DesktopSecurity {
  const { appOrigin } = options;
  const guardNavigation = (event: NavigationEventLike): void => {
    if (!isAllowedNavigation(event.url, appOrigin)) event.preventDefault();
  };
  return {
    windowOptions: {
      width: 1280,
      height: 820,
      minWidth: 720,
      minHeight: 480,
      title: 'Flowbot Studio',
      show: false,
      // A copy: Electron may annotate the options it is given.
      webPreferences: { ...secureWebPreferences(options.preloadPath) },
    },
    session: {
      permissionRequest: (_contents, _permission, callback) => callback(false),
      permissionCheck: () => false,
      devicePermission: () => false,
      // Other origins (DevTools) are left alone: the page cannot navigate to or frame them.
      headersReceived: (details, callback) => {
        if (!isAllowedNavigation(details.url, appOrigin)) return callback({});
        callback({ responseHeaders: withCspHeader(details.responseHeaders) });
      },
    },
    contents: {
      windowOpen: () => ({ action: 'deny' }),
      willNavigate: guardNavigation,
      willFrameNavigate: guardNavigation,
      willRedirect: guardNavigation,
      willAttachWebview: (event) => event.preventDefault(),
    },
  };
}

export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: { onHeadersReceived(listener: SessionPolicy['headersReceived']): void };
};

export function applySessionPolicy(session: SessionLike, policy: SessionPolicy): void {
  session.setPermissionRequestHandler(policy.permissionRequest);
  session.setPermissionCheckHandler(policy.permissionCheck);
  session.setDevicePermissionHandler(policy.devicePermission);
  session.webRequest.onHeadersReceived(policy.headersReceived);
}

export interface WebContentsLike {
  setWindowOpenHandler(handler: WindowOpenHandler): void;
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: NavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** Applied to every web contents the app creates (app 'web-contents-created'). */
export function applyContentsPolicy(contents: WebContentsLike, policy: ContentsPolicy): void {
  contents.setWindowOpenHandler(policy.windowOpen);
  contents.on('will-navigate', policy.willNavigate);
  contents.on('will-frame-navigate', policy.willFrameNavigate);
  contents.on('will-redirect', policy.willRedirect);
  contents.on('will-attach-webview', policy.willAttachWebview);
}
