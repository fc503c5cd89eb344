// ESLint for the web map: the recommended rules on browser modules, Node globals for the build
// and test files; eslint-config-prettier last, so that formatting is Prettier's alone.
import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

export default [
  { ignores: ['dist/', 'target/', 'node_modules/'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser },
    },
  },
  {
    files: ['vite.config.js', 'eslint.config.js', 'test/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
];
