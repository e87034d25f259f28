// Builds the Electron shell into dist/electron, each part one file:
// - main.js (ESM): electron/main.ts with the engine it runs (src/) bundled in, like the command line's
//   dist/cli/bundle.js (scripts/bundle-cli.mjs): at start Electron reads and links one module instead of
//   ~70. `electron` and the packages stay imports (node_modules is packed beside it). The bundle sits at
//   dist/<folder>/ like every engine module, so their `new URL('../../resources/…', import.meta.url)` still
//   finds resources/; the check below fails the build if that ever stops being true.
// - preload.cjs (CommonJS, as a sandboxed preload must be), with only `electron` external.
// Both target the Node.js that Electron 45 embeds (24) or older: node22, the oldest Node CertAudit supports,
// so `npm run bench` can also load main.js under plain Node (with a stand-in for `electron`).
import { build } from 'esbuild'
import { existsSync } from 'node:fs'

const main = 'dist/electron/main.js'
await build({
  entryPoints: ['electron/main.ts'],
  outfile: main,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
})
await build({
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  logLevel: 'warning',
})
for (const resource of ['roots-blocklist.json', 'retired-roots.json', 'blocklist-signing-key.pub.pem']) {
  if (!existsSync(new URL(`../../resources/${resource}`, new URL(`../${main}`, import.meta.url)))) {
    throw new Error(`${main} would not find resources/${resource}: keep the bundle at dist/<folder>/.`)
  }
}
