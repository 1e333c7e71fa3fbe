import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The advisors' desk renderer. One build serves both homes: the server's `/app/` and Electron's
 * file:// window. Asset URLs are relative (`./assets/…`), so the same index.html works under either
 * origin; screens are addressed in the location hash, so no path below `/app/` ever needs the server
 * to know about the desk's routes.
 */
/**
 * The core package is pure (no I/O, no globals: its modules only define), so a module of it the desk
 * does not use can be left out of the build. Without this, importing its decimal functions brought the
 * whole package in through its index — its zod schemas among it, built when the bundle loads: most of
 * the 130 ms of CPU the page spent evaluating its script before the sign-in form (issue #14).
 */
const treeshake = {
  moduleSideEffects: (id: string) => !/[\\/]packages[\\/]core[\\/]src[\\/]/.test(id),
};

export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  // The book's worker (src/renderer/live/book-worker.ts) is a module worker, as the page creates it.
  worker: { format: 'es', rollupOptions: { treeshake } },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Hashed file names let the server mark assets immutable.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
    rollupOptions: { treeshake },
  },
  server: {
    // `pnpm dev:renderer` beside a running server: the API calls go to it.
    proxy: { '/trpc': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
