// ESLint 9 flat config: typescript-eslint's recommended rules, syntax only (no type information), so a run
// stays fast.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = { process: 'readonly', console: 'readonly' };
const BROWSER_GLOBALS = Object.fromEntries(
  ['window', 'document', 'sessionStorage', 'fetch', 'setTimeout', 'clearTimeout', 'console'].map((g) => [
    g,
    'readonly',
  ]),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'reports/', 'vendor/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a binding that is unused on purpose: the 4th argument that makes an
      // Express error handler, a field dropped by `{ field: _f, ...rest }`, a loop that only counts
      // (`for await (const _ of s)`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      // Tests read untyped JSON responses and build deliberately malformed inputs; `any` there is the point.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Plain JavaScript: bin/ runs on Node, the dashboard in a browser (Chart is declared in dashboard.js).
  { files: ['bin/**/*.js', 'eslint.config.js'], languageOptions: { globals: NODE_GLOBALS } },
  { files: ['src/dashboard/**/*.js'], languageOptions: { globals: BROWSER_GLOBALS } },
);
