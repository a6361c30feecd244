/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `gatehouse serve` listens on 127.0.0.1:8787 by default; the dev server hands /api to it
// so the app runs same-origin exactly as it does when embedded in the Go binary.
export default defineConfig({
  plugins: [react()],
  // Relative asset paths work under both http:// and the wails:// scheme.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Each page is a chunk of its own (React.lazy in src/routes.tsx); the first load is
    // the shell, the sign-in and the libraries they share.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      // changeOrigin: the server only accepts its own Host header (DNS-rebinding guard).
      '/api': { target: 'http://127.0.0.1:8787', changeOrigin: true },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // Tests type into forms like a person: on a loaded machine one can take more than
    // the default 5 s without anything being wrong. Generous, never measured against.
    testTimeout: 30_000,
  },
});
