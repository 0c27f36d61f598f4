import { defineConfig } from 'vite';

// Preact through the automatic JSX runtime; the gateway serves the build at `/` (same origin as the API).
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
});
