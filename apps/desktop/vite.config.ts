import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The advisors' desk renderer. One build serves both homes: the server's `/app/` and Electron's
 * file:// window. Asset URLs are relative (`./assets/…`), so the same index.html works under either
 * origin; screens are addressed in the location hash, so no path below `/app/` ever needs the server
 * to know about the desk's routes.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  // The book's worker (src/renderer/live/book-worker.ts) is a module worker, as the page creates it.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Hashed file names let the server mark assets immutable.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `pnpm dev:renderer` beside a running server: the API calls go to it.
    proxy: { '/trpc': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
