import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The board is compiled to static files that the service serves at `/` (see src/ops/board.ts).
// Vite 8 compiles TSX with oxc; the automatic runtime needs no React import per file.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/odata': 'http://localhost:3000' } },
});
