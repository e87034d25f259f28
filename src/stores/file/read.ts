import { resolve } from 'node:path'
import { readBundleFile } from '../shared/bundle-file.js'
import type { StoreLocation, StoreReader } from '../types.js'

/**
 * A certificate file or bundle named on the command line (`certaudit scan --file PATH`). Nothing
 * to discover: the user says where it is. Everything in it counts as trusted, as it would be if a
 * program were pointed at it.
 */
export const fileReader: StoreReader = {
  kind: 'file',
  discover: () => Promise.resolve([]),
  list: (location) => readBundleFile(location.location),
}

/** The store location for a file the user named. */
export function fileLocation(path: string): StoreLocation {
  const absolute = resolve(path)
  return { id: `file:${absolute}`, kind: 'file', location: absolute }
}
