// Loaded with `node --import` into electronegativity's process (scripts/electronegativity.mjs): `got`
// resolves to offline-got.cjs, for require() as for import (module.registerHooks, Node.js 22.15 and later).
import { registerHooks } from 'node:module'

const OFFLINE_GOT = new URL('./offline-got.cjs', import.meta.url).href

registerHooks({
  resolve: (specifier, context, nextResolve) => (specifier === 'got' ? { url: OFFLINE_GOT, format: 'commonjs', shortCircuit: true } : nextResolve(specifier, context)),
})
