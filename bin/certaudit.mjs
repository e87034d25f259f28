#!/usr/bin/env node
// Entry point of the `certaudit` command. The TypeScript sources are compiled to dist/ by `npm install`
// (the package's prepare script) or `npm run build`, which also bundles the CLI into one file
// (scripts/bundle-cli.mjs, dist/cli-bundle/) that starts faster; without the bundle the compiled modules are used.
import { existsSync } from 'node:fs'

const bundle = new URL('../dist/cli-bundle/bundle.js', import.meta.url)
let cli
try {
  cli = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js')
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error
  process.stderr.write('certaudit: the compiled CLI is missing. Run "npm run build" in the CertAudit folder first.\n')
  process.exit(2)
}
// `certaudit scan | head`: the reader went away; that is not an error of ours to print a stack for.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })
}
process.exitCode = await cli.main(process.argv.slice(2))
