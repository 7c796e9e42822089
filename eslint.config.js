// Lint, and the layering of the code base written down as rules (in the
// manner of VS Code's common → node → electron-main layers):
//   server/      protocol and relay: no audio, no client, no Electron
//   electron/engine  pure pipeline stages: no I/O, no Electron
//   electron/net, electron/audio, electron/app  Node edges and the controller: no Electron
//   electron/main    the only code that imports Electron
//   electron/api     the contract between main and window: imports nothing from the rest
//   renderer/        views: reach the main process only through the API contract
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = { name: 'electron', message: 'Only electron/main/ may import Electron: the engine must run in plain Node.' };
const audioModules = ['naudiodon', 'opus-decoder', '@evan/opus', 'wavefile'].map((name) => ({
  name,
  message: 'The relay loads nothing audio-related: a server with only Node must run it.',
}));
const ioModules = ['node:dgram', 'node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process', 'naudiodon', 'wavefile'].map((name) => ({
  name,
  message: 'Engine stages are pure: I/O belongs to electron/audio or electron/net.',
}));

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
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...audioModules],
          patterns: [{ group: ['**/electron/**', '**/renderer/**', '**/cli/**'], message: 'server/ stands alone: the relay and protocol import nothing from the app.' }],
        },
      ],
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...ioModules],
          patterns: [
            { group: ['**/electron/net/**', '**/electron/audio/**', '**/electron/app/**', '**/electron/main/**', '**/net/**', '**/audio/**', '**/app/**', '**/main/**'], message: 'Engine stages depend on nothing but each other and the protocol.' },
            { group: ['**/server/relay/**', '**/relay/**'], message: 'The engine does not depend on the relay.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [{ group: ['../**', '**/electron/**', '**/server/**', '**/renderer/**', '**/cli/**'], message: 'electron/api is the contract main, preload, app and renderer all depend on: it depends on none of them.' }],
        },
      ],
    },
  },
  {
    files: ['electron/net/**/*.ts', 'electron/audio/**/*.ts', 'electron/app/**/*.ts', 'electron/client/**/*.ts', 'cli/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ group: ['**/electron/main/**', '**/main/**'], message: 'Nothing depends on the Electron shell.' }] }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: ['node:*'], message: 'The renderer is a web page: no Node modules.' },
            // Gitignore rules: a file cannot be re-allowed while its folder is excluded, so electron/api itself is re-allowed first.
            { group: ['**/server/**', '**/electron/**', '!**/electron/api', '!**/electron/api/**'], message: 'The renderer reaches the main process only through the typed API contract in electron/api/.' },
          ],
        },
      ],
    },
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
