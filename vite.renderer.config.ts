// Builds Parley's window (renderer/) for Electron to load from file://.
//   vite build --config vite.renderer.config.ts                 → dist/renderer/ (the app: index.html only)
//   vite build --config vite.renderer.config.ts --mode preview  → dist/renderer-preview/ (the design preview)
//   vite --config vite.renderer.config.ts                       → dev server for both pages
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const fromHere = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The dev server injects inline scripts and styles (hot reload, React
 * Refresh) that the page's Content-Security-Policy rightly forbids, so only
 * there the policy is taken out. Built files, which Electron loads, keep it.
 */
function devServerWithoutCsp(): Plugin {
  return {
    name: 'parley-dev-server-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/s, ''),
  };
}

export default defineConfig(({ mode }) => {
  const preview = mode === 'preview';
  return {
    root: fromHere('./renderer/'),
    // Relative asset URLs: the window is loaded from file://, not from a server root.
    base: './',
    plugins: [react(), devServerWithoutCsp()],
    build: {
      outDir: fromHere(preview ? './dist/renderer-preview/' : './dist/renderer/'),
      emptyOutDir: true,
      // Electron's Chromium supports modulepreload: no polyfill (it would be one more script to allow).
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: fromHere(preview ? './renderer/preview.html' : './renderer/index.html'),
      },
    },
  };
});
