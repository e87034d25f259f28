// Bundles the tsc-built CLI (dist/cli/main.js and the engine modules it imports) into dist/cli-bundle/,
// which bin/certaudit.mjs loads: Node then reads and links a few modules instead of ~100 at every start
// (fleets run the CLI often). Each command is its own chunk, loaded when it runs, so `certaudit --help`
// loads neither the engine nor zod. Packages stay imports from node_modules, except zod (the API's
// request and journal schemas): inlined, Node compiles one chunk instead of ~30 of its files (a scan
// starts ~20 ms sooner). The chunks sit at the same
// depth as every engine module (dist/<folder>/), so their `new URL('../../resources/…', import.meta.url)`
// still finds resources/; the check below fails the build if that ever stops being true.
import { build } from 'esbuild'
import { existsSync, rmSync } from 'node:fs'

const outdir = 'dist/cli-bundle'
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: { bundle: 'dist/cli/main.js' },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  plugins: [{ name: 'external-packages', setup: (b) => b.onResolve({ filter: /^[^./]/ }, (args) => (/^zod(\/|$)/.test(args.path) ? undefined : { path: args.path, external: true })) }],
  logLevel: 'warning',
})
for (const resource of ['roots-blocklist.json', 'retired-roots.json', 'blocklist-signing-key.pub.pem']) {
  if (!existsSync(new URL(`../../resources/${resource}`, new URL(`../${outdir}/bundle.js`, import.meta.url)))) {
    throw new Error(`${outdir} would not find resources/${resource}: keep the bundle at dist/<folder>/.`)
  }
}
