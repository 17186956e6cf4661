// ESLint 9 flat config. Two jobs:
// 1. code quality: typescript-eslint's recommended rules, syntax only (no type information), so a run stays
//    fast; and no line over 120 characters (Prettier wraps code at 110 but not strings or comments);
// 2. the layer table (src/ARCHITECTURE.md, "Layers"): which part of src/ may import which, as
//    `no-restricted-imports` patterns over the relative import strings, one block per layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const GUIDE = 'See src/ARCHITECTURE.md, "Layers".';

/** The layer table. `files`: the layer's sources; `mayImport`: the other layers it may use. */
const LAYERS = {
  domain: { files: ['src/domain/**'], mayImport: [] },
  lib: { files: ['src/lib/**'], mayImport: [] },
  errors: { files: ['src/errors.ts'], mayImport: [] },
  config: { files: ['src/config/**'], mayImport: ['domain', 'lib', 'errors'] },
  model: { files: ['src/model/**'], mayImport: ['domain', 'lib', 'errors', 'config'] },
  solve: { files: ['src/solve/**'], mayImport: ['domain', 'lib', 'errors', 'model'] },
  analysis: {
    files: ['src/analysis/**'],
    mayImport: ['domain', 'lib', 'errors', 'config', 'model', 'solve'],
  },
  report: { files: ['src/report/**'], mayImport: ['domain', 'lib', 'errors', 'config', 'model', 'analysis'] },
  sources: { files: ['src/sources/**'], mayImport: ['domain', 'lib', 'errors', 'config'] },
  store: { files: ['src/store/**'], mayImport: ['domain', 'lib', 'errors', 'config'] },
  alerts: { files: ['src/alerts/**'], mayImport: ['domain', 'lib', 'errors', 'config', 'sources'] },
  engine: {
    files: ['src/engine/**'],
    mayImport: [
      'domain',
      'lib',
      'errors',
      'config',
      'model',
      'solve',
      'analysis',
      'report',
      'sources',
      'store',
      'alerts',
    ],
  },
  api: { files: ['src/api/**'], mayImport: ['engine', 'domain', 'lib', 'errors', 'config'] },
  // cli/ is the composition root for processes: `serve` starts the API front end.
  cli: { files: ['src/cli/**'], mayImport: ['engine', 'api', 'domain', 'lib', 'errors', 'config'] },
  index: { files: ['src/index.ts'], mayImport: ['engine', 'domain', 'lib', 'errors', 'config'] },
  // The dashboard talks to api/ over HTTP only; from lib/ it loads the plain-JS csv-field.js the API serves.
  dashboard: { files: ['src/dashboard/**'], mayImport: ['lib'] },
};

/** Tests and test helpers may import anything (they wire real components together). */
const TEST_FILES = [
  'src/**/*.test.ts',
  'src/api/test-harness.ts',
  'src/sources/test-server.ts',
  'src/sources/fixtures.ts',
  'src/store/crash-child.ts',
];

const ROOT_FILES = new Set(['index', 'errors']);

/**
 * How a relative import string names a layer: `../engine/x.ts`, `../../errors.ts` from a folder,
 * `./model/ai.ts` from a file at the root of src/ (index.ts, errors.ts).
 */
function importRegex(target, fromRoot) {
  const up = fromRoot ? '^\\./' : '^(\\.\\./)+';
  return ROOT_FILES.has(target) ? `${up}${target}\\.[jt]s$` : `${up}${target}/`;
}

const label = (layer) => (ROOT_FILES.has(layer) ? `${layer}.ts` : `${layer}/`);

function boundaryBlock(layer, { files, mayImport }) {
  const others = Object.keys(LAYERS).filter((l) => l !== layer && !mayImport.includes(l));
  const fromRoot = ROOT_FILES.has(layer);
  const allowed = mayImport.length ? mayImport.map(label).join(', ') : 'nothing in src/';
  return {
    name: `layers/${layer}`,
    files,
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: others.map((other) => ({
            regex: importRegex(other, fromRoot),
            message:
              `${label(layer)} may not import ${label(other)} ` +
              `(${label(layer)} may import ${allowed}). ${GUIDE}`,
          })),
        },
      ],
    },
  };
}

/** A folder of src/ that is in no layer may not reach outside itself until it is given a row in the table. */
const unlistedFolders = {
  name: 'layers/unlisted',
  files: ['src/**/*.ts', 'src/**/*.js'],
  ignores: [...Object.values(LAYERS).flatMap((l) => l.files), ...TEST_FILES],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '^\\.\\./',
            message:
              'this folder is not in the layer table: add it to LAYERS in eslint.config.js and the guide. ' +
              GUIDE,
          },
        ],
      },
    ],
  },
};

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
      // Prettier cannot wrap strings, template literals or comments: split long strings with `+`.
      'max-len': ['error', { code: 120, tabWidth: 2 }],
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
  ...Object.entries(LAYERS).map(([layer, spec]) => boundaryBlock(layer, spec)),
  unlistedFolders,
);
