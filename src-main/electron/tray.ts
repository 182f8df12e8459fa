// The desktop app in the background (issue 16, item 7): the tray / menu-bar icon (Open, Quit),
// hiding the window instead of closing it while bots run, quitting for real (the studio closed
// first: WhatsApp sockets, MCP servers, the store), and the login item. Every decision is
// app/background-policy.ts's (unit-tested); this file only carries them out in Electron.
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';
import type { DesktopSettings } from '../shared/api/desktop';
import type { WaConnectionState } from '../shared/api/whatsapp';
import type { Studio } from '../app/studio';
import { botsRunning, createQuitSequence, loginItemSettings, onWindowClose, showTray, trayTexts } from '../app/background-policy';

/** A 32×32 speech-bubble icon (no image file to ship or find at run time). */
const ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAZElEQVR42u2XwQ0AIAgDmcFBncHNdQMVgVBim/jl7gVVhKmWNvrcvTRwmIgW7CpihZskvOBPEt5wtUSqQBT8WiJVIBp+lLAOoAAF/hEovQvwVzGvIUQhgahkEKUUopbDfEyYqCxhpu428L7DyAAAAABJRU5ErkJggg==';

export interface Background {
  /** Hooks a window's close to the policy (hide while bots run, else quit). */
  manage(window: BrowserWindow): void;
}

export function installBackground(options: { studio: Studio; settings: DesktopSettings; showWindow: () => void }): Background {
  const { studio, showWindow } = options;
  let settings = options.settings;
  const channels = new Map<string, WaConnectionState>();
  let tray: Tray | undefined;

  const sequence = createQuitSequence({ close: () => studio.close(), quit: () => app.quit(), log: (message, error) => console.error(message, error ?? '') });
  app.on('before-quit', (event) => {
    if (sequence.beforeQuit() === 'wait') event.preventDefault();
  });

  const applySettings = () => {
    app.setLoginItemSettings(loginItemSettings(settings));
    if (showTray(settings) && !tray) {
      const texts = trayTexts(app.getLocale());
      tray = new Tray(nativeImage.createFromDataURL(ICON));
      tray.setToolTip(texts.tooltip);
      tray.setContextMenu(Menu.buildFromTemplate([
        { label: texts.open, click: showWindow },
        { type: 'separator' },
        { label: texts.quit, click: () => app.quit() },
      ]));
      tray.on('click', showWindow);
    } else if (!showTray(settings) && tray) {
      tray.destroy();
      tray = undefined;
    }
  };
  applySettings();

  studio.service.on((event) => {
    if (event.event === 'whatsapp.status') channels.set(event.payload.bot, event.payload.state);
    if (event.event === 'desktop.settingsChanged') {
      settings = event.payload;
      applySettings();
    }
  });

  return {
    manage(window) {
      window.on('close', (event) => {
        const decision = onWindowClose({ settings, botsRunning: botsRunning(channels), quitting: sequence.quitting });
        if (decision === 'close') return;
        event.preventDefault();
        if (decision === 'hide') window.hide();
        else app.quit();
      });
    },
  };
}
