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
// The server's resources: openapi.yaml (the API's enums) and org/gridgov/ogc/layers.yaml (layer
// access). Only picked parts are imported (`…/openapi.yaml?pick=components.schemas.Platform.enum`):
// the bundle gets the fact it needs, not the whole API description or the layers' SQL.
const serverResources = fileURLToPath(new URL('../server/src/main/resources', import.meta.url));

/**
 * One value inside parsed YAML: a dot-separated path of keys; in a list, a step picks the item
 * whose `name` is the step ('layers.base_units.roles', 'paths./api/v1/imports.post.parameters.srs').
 */
export function pick(data, path) {
  return path.split('.').reduce((node, step) => {
    const next = Array.isArray(node) ? node.find((item) => item?.name === step) : node?.[step];
    if (next === undefined) throw new Error(`no ${step} in ${path}`);
    return next;
  }, data);
}

function yamlModules() {
  return {
    name: 'gridgov-yaml',
    transform(code, id) {
      const [file, query = ''] = id.split('?');
      if (!/\.ya?ml$/.test(file)) return null;
      const path = new URLSearchParams(query).get('pick');
      const data = path ? pick(parse(code), path) : parse(code);
      return { code: `export default ${JSON.stringify(data)};`, map: null };
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [yamlModules()],
  resolve: {
    alias: { '@styles': stylesDir, '@server': serverResources },
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
    // styles/ and the server's resources lie outside web-map/: the dev server may serve them
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), stylesDir, serverResources] },
  },
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
  },
});
