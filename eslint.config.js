// Lint rules, including the folder boundaries of STYLE.md: src/ never imports electron or react;
// renderer/ never imports electron or node:*; only store adapters (src/stores/) spawn processes; in
// electron/ only ipc.ts and preload.ts import ipcMain/ipcRenderer.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]
const processSpawning = ['child_process', 'node:child_process']
const sharedWithCli = [
  { name: 'electron', message: 'src/ is shared with the CLI: no electron here (STYLE.md 10).' },
  { name: 'react', message: 'src/ is shared with the CLI: no react here (STYLE.md 10).' },
]

/**
 * The same boundaries for modules loaded at run time: `import('x')` and `require('x')` name a module
 * as surely as `import … from 'x'`, and no-restricted-imports does not see them.
 */
const loadedAtRunTime = (pattern, message) => [
  { selector: `ImportExpression[source.value=${pattern}]`, message },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${pattern}]`, message },
]
const noExit = { selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']", message: 'Library code returns errors as data; only bin/ may exit.' }
const noSelfKill = {
  selector: "CallExpression[callee.object.name='process'][callee.property.name='kill'][arguments.0.object.name='process'][arguments.0.property.name='pid']",
  message: 'No fault hooks in library code: tests inject them (tests/support/crash-at.ts).',
}
const srcLoads = [
  ...loadedAtRunTime('/^(electron|react)$/', 'src/ is shared with the CLI: no electron or react here (STYLE.md 10).'),
  ...loadedAtRunTime('/\\/(electron|renderer)\\//', 'src/ must not depend on the app shell.'),
]
const spawnLoads = loadedAtRunTime('/^(node:)?child_process$/', 'Only store adapters in src/stores/ run OS tools (STYLE.md 10).')
const nodeBuiltinPattern = `/^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$/`
const rendererLoads = [
  ...loadedAtRunTime('/^electron$/', 'The renderer talks only to window.certAudit (STYLE.md 4).'),
  ...loadedAtRunTime(nodeBuiltinPattern, 'The renderer runs sandboxed: no Node built-ins (STYLE.md 10).'),
  ...loadedAtRunTime('/\\/src\\//', 'The renderer takes only types from src/: the engine runs behind window.certAudit.'),
]
// electron/: the main process and the preload. No UI code, and ipcMain/ipcRenderer only in ipc.ts and preload.ts.
const shellPaths = [
  { name: 'react', message: 'electron/ is the main process and the preload: the UI is renderer/.' },
  { name: 'electron', importNames: ['default'], message: 'Import Electron’s modules by name (import { app } from \'electron\'): a default import would reach ipcMain unseen.' },
]
const shellPatterns = [{ group: ['**/renderer/**'], message: 'The shell talks to the window over IPC, never by importing it.' }]
const ipcOutsideWiring = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Only electron/ipc.ts and electron/preload.ts touch ipcMain/ipcRenderer: IPC goes through the contract’s channels (STYLE.md 2).',
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', noExit],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', noExit, noSelfKill, ...srcLoads] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/stores/**'],
    rules: {
      'no-restricted-syntax': ['error', noExit, noSelfKill, ...srcLoads, ...spawnLoads],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...sharedWithCli,
            ...processSpawning.map((name) => ({ name, message: 'Only store adapters in src/stores/ run OS tools (STYLE.md 10).' })),
          ],
          patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'src/ must not depend on the app shell.' }],
        },
      ],
    },
  },
  {
    files: ['src/stores/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: sharedWithCli,
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-syntax': ['error', noExit, ...rendererLoads],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks only to window.certAudit (STYLE.md 4).' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs sandboxed: no Node built-ins (STYLE.md 10).' })),
          ],
        },
      ],
      // Types (and only types) come from the contract in src/: typescript-eslint's version tells `import type` apart.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/src/**', '!./**', '!../**/renderer/**'], allowTypeImports: true, message: 'The renderer takes only types from src/ (import type): the engine runs behind window.certAudit.' }],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: shellPaths, patterns: shellPatterns }] },
  },
  {
    // IPC only through the contract's channels, wired in one place on each side (STYLE.md 2).
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...shellPaths, ipcOutsideWiring], patterns: shellPatterns }] },
  },
  {
    // The one exception to "types only from src/": the window shows certificate names, paths and tool
    // output with the same escapes as the CLI and the HTML report, so renderer/src/visible.ts re-exports
    // src/audit/visible.ts itself rather than a copy that could drift. That module is pure string code
    // that imports nothing (the rule below keeps it so), so it runs in the sandboxed page like any of ours.
    files: ['renderer/src/visible.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(?!\\.\\./\\.\\./src/audit/visible$)(.*/)?src/', allowTypeImports: true, message: 'The renderer takes only types from src/ (import type), and src/audit/visible.ts.' }],
        },
      ],
    },
  },
  {
    // Bundled into the window as well as the CLI (see above): it must stay free of imports.
    files: ['src/audit/visible.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ImportDeclaration, ImportExpression, ExportAllDeclaration, ExportNamedDeclaration[source]', message: 'src/audit/visible.ts is bundled into the window: it imports nothing.' }],
    },
  },
  {
    files: ['bin/**/*.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
