// Module hooks that resolve `electron` to electron-stand-in.mjs. Usage, before importing main.js:
//   import { register } from 'node:module'
//   register('./electron-stand-in-hooks.mjs', import.meta.url)
// module.register runs these hooks for every later import in this process (Node 20.6 and later).
const STAND_IN = new URL('./electron-stand-in.mjs', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  return specifier === 'electron' ? { url: STAND_IN, shortCircuit: true } : nextResolve(specifier, context)
}
