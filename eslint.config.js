// Lint, and the layering of the code base as one rule read from folder names
// (in the manner of VS Code's layers): eslint-rules/layers.ts gives each
// folder the layers and modules it may import, eslint-rules/layering.ts
// enforces it. Both are TypeScript, loaded through Node's type stripping.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layering } from './eslint-rules/layering.ts';
import { EXCEPTIONS, LAYERS } from './eslint-rules/layers.ts';

// Every file under a folder of the table is in some layer, or the rule says it is not.
const layeredTrees = [...new Set(Object.keys(LAYERS).map((folder) => folder.split('/')[0]))];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: layeredTrees.map((tree) => `${tree}/**/*.{js,mjs,cjs,ts,mts,cts,tsx}`),
    plugins: { parley: { rules: { layering } } },
    rules: { 'parley/layering': ['error', { root: import.meta.dirname, layers: LAYERS, exceptions: EXCEPTIONS }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
