/** What the rest of CertAudit uses of the stores: the registry, the environment, and the adapter types. */
export { STORES, STORE_KINDS, isStoreKind, type StoreKind, type StoreRegistry } from './registry.js'
export { fileLocation } from './file/discover.js'
export { createEnvironment, imageVariables, systemPath, homePath, type Environment } from './shared/environment.js'
export { createElevation } from './shared/elevation.js'
export { StoreError, type StoreAdapter, type StoreFacts, type StoreLocation, type StoreReader, type ListItem } from './types.js'
