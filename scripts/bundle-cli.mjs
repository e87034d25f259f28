// Bundles the tsc-built CLI (dist/cli/main.js and the engine modules it imports) into one file,
// dist/cli/bundle.js, which bin/certaudit.mjs loads: Node then reads and links one module instead of
// ~70 at every start (~40 ms of a ~150 ms start on a 2-core machine; fleets run the CLI often).
// Packages stay imports from node_modules. The bundle sits at the same depth as every engine module
// (dist/<folder>/), so their `new URL('../../resources/…', import.meta.url)` still finds resources/;
// the check below fails the build if that ever stops being true.
import { build } from 'esbuild'
import { existsSync } from 'node:fs'

const outfile = 'dist/cli/bundle.js'
await build({
  entryPoints: ['dist/cli/main.js'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
})
for (const resource of ['roots-blocklist.json', 'retired-roots.json', 'blocklist-signing-key.pub.pem']) {
  if (!existsSync(new URL(`../../resources/${resource}`, new URL(`../${outfile}`, import.meta.url)))) {
    throw new Error(`${outfile} would not find resources/${resource}: keep the bundle at dist/<folder>/.`)
  }
}
