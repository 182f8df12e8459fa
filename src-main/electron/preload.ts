// Preload (sandboxed, so bundled as CommonJS: out/preload/index.cjs). It exposes a frozen,
// minimal `window.flowbot`; the typed API from the shared contract is added here later, one
// method per contract key. ipcRenderer itself is never exposed to the page.
import { contextBridge } from 'electron';

// Replaced at build time with package.json's version (electron.vite.config.ts `define`).
declare const __FLOWBOT_VERSION__: string;

const flowbot = Object.freeze({ version: __FLOWBOT_VERSION__ });

contextBridge.exposeInMainWorld('flowbot', flowbot);
