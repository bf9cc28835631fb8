// Layer boundaries (ARCHITECTURE.md "Where code lives") are enforced here, not by memory.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*'];

/** Forbids importing our other layers, by folder name anywhere in a relative or aliased path. */
const layers = (names) => names.map((name) => ({ regex: `(^|/)${name}(/|$)`, message: `this layer must not import ${name}/` }));

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.vite/', 'coverage/', '.bench/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts', 'core/**/*.test-support.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins.map((name) => ({ name, message: 'core/ is pure: no Node built-ins' })), { name: 'electron', message: 'core/ is pure' }],
          patterns: layers(['renderer', 'electron', 'server', 'cli', 'node', 'scripts', 'bench', 'tests']),
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require', '__dirname', 'localStorage', 'navigator'],
    },
  },
  {
    files: ['core/**/*.test.ts', 'core/**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: layers(['renderer', 'electron', 'server', 'cli', 'node']) }],
    },
  },
  {
    // Node services shared by the command line, Electron main and the server (statement PDFs,
    // signing, key files): Node built-ins and core/, nothing of the hosts that use them.
    files: ['node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'node/ services run without Electron' }], patterns: layers(['renderer', 'electron', 'server', 'cli']) }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the renderer reaches its host only through the HostAdapter' }],
          patterns: layers(['electron', 'server', 'cli', 'node']),
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron' }], patterns: layers(['renderer', 'electron', 'cli']) }],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron' }], patterns: layers(['renderer', 'electron', 'server']) }],
    },
  },
  {
    // The preload implements the renderer's HostAdapter contract, so that one file may be imported.
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...layers(['server', 'cli']), { regex: '(^|/)renderer/(?!host/host\\.ts$)', message: 'electron/ may import only the HostAdapter contract from renderer/' }] },
      ],
    },
  },
);
