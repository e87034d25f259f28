import { envBundleStore } from './env-bundle/read.js'
import { firefoxPoliciesStore } from './firefox-policy/read.js'
import { javaStore } from './java/read.js'
import { linuxSystemStore } from './linux-system/read.js'
import { macosStore } from './macos/read.js'
import { nssStore } from './nss/read.js'
import type { StoreReader } from './types.js'
import { windowsStore } from './windows/read.js'

/**
 * The store kinds that `certaudit scan` discovers on its own. Adding a store means adding its file
 * and one line here. (Files named with --file are scanned by `fileStore` without discovery.) Each
 * discovers nothing on a platform it does not belong to: the Windows stores only on win32, the
 * macOS keychains only on darwin.
 */
export const DISCOVERABLE_STORES: readonly StoreReader[] = [nssStore, firefoxPoliciesStore, linuxSystemStore, javaStore, envBundleStore, windowsStore, macosStore]

export { fileStore, fileLocation } from './file/read.js'
export { createEnvironment, systemPath, homePath, type Environment } from './shared/environment.js'
export { StoreError, type StoreLocation, type StoreReader, type ListItem } from './types.js'
export { readerFor, writerFor } from './registry.js'
export { createElevation } from './shared/elevation.js'
