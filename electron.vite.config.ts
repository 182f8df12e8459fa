// electron-vite build of the desktop app:
//   main     src-main/electron/main.ts    -> out/main/index.js    (ESM; package.json "main")
//   preload  src-main/electron/preload.ts -> out/preload/index.cjs (CommonJS: sandboxed preloads
//            cannot be ES modules)
//   renderer src-renderer/index.html      -> out/renderer/        (React)
// `npm run build` builds, `npm start` runs the dev server with hot reload.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

/**
 * In dev, @vitejs/plugin-react injects its refresh preamble as an inline <script>, which our
 * CSP (`script-src 'self'`) blocks. src-renderer/main.tsx imports '@vitejs/plugin-react/preamble'
 * instead, so the inline copy is dropped here and the policy stays strict in dev too.
 */
function dropInlineReactPreamble(): Plugin {
  return {
    name: 'flowbot:drop-inline-react-preamble',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/<script type="module">[^<]*injectIntoGlobalHook[^<]*<\/script>\s*/g, ''),
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // Default, stated: package.json "dependencies" (the MCP SDK, ollama, zod, keytar's N-API
      // addon, ...) stay external and are loaded from node_modules at run time; electron and Node
      // built-ins are always external. SQLite is Electron's built-in node:sqlite: better-sqlite3
      // (built for the Node that ran npm install) is never loaded here (docs/sqlite-drivers.md).
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/main.ts') },
      },
    },
  },
  preload: {
    define: { __FLOWBOT_VERSION__: JSON.stringify(pkg.version) },
    build: {
      // A sandboxed preload can require only 'electron' and a few built-ins: bundle everything else.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified; a smaller bundle starts faster (bench/editor).
      minify: true,
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
    plugins: [react(), dropInlineReactPreamble()],
  },
});
