/**
 * Every kind of trust store, declared once: adding a store is adding its folder and one line here.
 * The kinds (`StoreKind`, {@link STORE_KINDS}) are this record's keys, so the CLI's `--store`, the
 * report's type, the JSON schema's enum and the window's labels all follow it (the compiler and
 * tests/stores/registry.test.ts check each). The order is the order stores are scanned and reported in.
 */
import { chromiumStore } from './chromium/index.js'
import { chromiumPolicyStore } from './chromium-policy/index.js'
import { envBundleStore } from './env-bundle/index.js'
import { fileStore } from './file/index.js'
import { firefoxPolicyStore } from './firefox-policy/index.js'
import { javaStore } from './java/index.js'
import { linuxSystemStore } from './linux-system/index.js'
import { macosStore } from './macos/index.js'
import { nssStore } from './nss/index.js'
import { opensslStore } from './openssl/index.js'
import { runtimeStore } from './runtime/index.js'
import type { StoreAdapter } from './types.js'
import { windowsStore } from './windows/index.js'

export const STORES = {
  nss: nssStore,
  'firefox-policy': firefoxPolicyStore,
  chromium: chromiumStore,
  'chromium-policy': chromiumPolicyStore,
  'linux-system': linuxSystemStore,
  openssl: opensslStore,
  java: javaStore,
  'env-bundle': envBundleStore,
  runtime: runtimeStore,
  windows: windowsStore,
  macos: macosStore,
  file: fileStore,
} satisfies Record<string, StoreAdapter>

/** A kind of trust store: a key of {@link STORES}. */
export type StoreKind = keyof typeof STORES

/** Every store kind, in scanning order. */
export const STORE_KINDS = Object.keys(STORES) as readonly StoreKind[]

/** The adapters of a scan or a change: {@link STORES}, or the same with some replaced (tests read recorded Windows output…). */
export type StoreRegistry = { readonly [K in StoreKind]: StoreAdapter }

/** True for a string that names a store kind (command-line input, data read from disk). */
export function isStoreKind(value: string): value is StoreKind {
  return Object.hasOwn(STORES, value)
}
