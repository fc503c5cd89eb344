import { fileURLToPath } from 'node:url';
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import { parse } from 'yaml';

// The server serves dist/ at / from the jar's webroot/ (org.gridgov.webapp.WebApp).
// `npm run dev` proxies gridgov's own endpoints to a running server (scripts/run).
const backend = process.env.GRIDGOV_URL || `http://127.0.0.1:${process.env.GRIDGOV_PORT || 8080}`;
const proxied = ['/api', '/tiles', '/ows', '/ogc', '/open311', '/health', '/openapi.json'];

// The repository's styles/ folder, the one home of the layer colours (the server's mapfile reads it
// too): `import styles from '@styles/styles.yaml'` gives its content, parsed here at build time, so
// the bundle carries JSON and no YAML parser. Vitest runs with this config and reads the same file.
const stylesDir = fileURLToPath(new URL('../styles', import.meta.url));

function yamlModules() {
  return {
    name: 'gridgov-yaml',
    transform(code, id) {
      if (!/\.ya?ml$/.test(id)) return null;
      return { code: `export default ${JSON.stringify(parse(code))};`, map: null };
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [yamlModules()],
  resolve: {
    alias: { '@styles': stylesDir },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: backend, changeOrigin: false }])),
    // styles/ lies outside web-map/: the dev server may serve it
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), stylesDir] },
  },
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
  },
});
