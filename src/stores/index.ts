import { envBundleStore } from './env-bundle-store.js'
import { firefoxPoliciesStore } from './firefox-policies-store.js'
import { javaStore } from './java-store.js'
import { linuxSystemStore } from './linux-system-store.js'
import { macosStore } from './macos-store.js'
import { nssStore } from './nss-store.js'
import type { StoreReader } from './types.js'
import { windowsStore } from './windows-store.js'

/**
 * The store kinds that `certaudit scan` discovers on its own. Adding a store means adding its file
 * and one line here. (Files named with --file are scanned by `fileStore` without discovery.) Each
 * discovers nothing on a platform it does not belong to: the Windows stores only on win32, the
 * macOS keychains only on darwin.
 */
export const DISCOVERABLE_STORES: readonly StoreReader[] = [nssStore, firefoxPoliciesStore, linuxSystemStore, javaStore, envBundleStore, windowsStore, macosStore]

export { fileStore, fileLocation } from './file-store.js'
export { createEnvironment, systemPath, homePath, type Environment } from './environment.js'
export { StoreError, type StoreLocation, type StoreReader, type ListItem } from './types.js'
export { readerFor, writerFor } from './registry.js'
export { createElevation } from './elevation.js'
