import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  resolve: {
    // Noto Sans KR for Hangul (Debian's Chromium has no CJK font); the package's exports hide its font files.
    alias: { '@fonts-kr': fileURLToPath(new URL('../node_modules/@embedpdf/fonts-kr/fonts', import.meta.url)) },
  },
  worker: { format: 'es' },
  // Scan the lazy screens and the engine worker at start, so the dev server never discovers a
  // dependency mid-session and reloads the page (which would drop the workspace in memory).
  optimizeDeps: { entries: ['index.html', 'src/**/*.tsx', 'engine/worker.ts'] },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      // Two pages, one build: the desk, and the partner portal (portal/index.html) that the server
      // serves at /portal (server/portal/serve.ts); they share components, core/, i18n and assets/.
      input: {
        desk: fileURLToPath(new URL('index.html', import.meta.url)),
        portal: fileURLToPath(new URL('portal/index.html', import.meta.url)),
      },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
});
