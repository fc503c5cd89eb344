import { defineConfig } from 'vite';

// The server serves dist/ at / from the jar's webroot/ (org.gridgov.webapp.WebApp).
// `npm run dev` proxies gridgov's own endpoints to a running server (scripts/run).
const backend = process.env.GRIDGOV_URL || `http://127.0.0.1:${process.env.GRIDGOV_PORT || 8080}`;
const proxied = ['/api', '/tiles', '/ows', '/ogc', '/open311', '/health', '/openapi.json'];

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: backend, changeOrigin: false }])),
  },
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
  },
});
