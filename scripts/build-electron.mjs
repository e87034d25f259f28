// Builds the Electron shell into dist/electron: main.js (ESM) and preload.cjs (CommonJS, as a sandboxed
// preload must be). The engine is not bundled: main.js imports the tsc-built modules in dist/ (its
// imports of ../src/… become ../…), so resources/ is found the same way as by the CLI.
import { build } from 'esbuild'

const engineOutside = {
  name: 'engine-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/src\// }, (args) => ({ path: args.path.replace(/^\.\.\/src\//, '../'), external: true }))
  },
}

await build({
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [engineOutside],
  logLevel: 'warning',
})
await build({
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
})
