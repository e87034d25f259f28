import { resolve } from 'node:path'
import type { StoreLocation } from '../types.js'

/** Nothing to discover: the user names each file (`certaudit scan --file PATH`, see {@link fileLocation}). */
export async function discover(): Promise<StoreLocation[]> {
  return []
}

/** The store location for a file the user named. */
export function fileLocation(path: string): StoreLocation {
  const absolute = resolve(path)
  return { id: `file:${absolute}`, kind: 'file', location: absolute }
}
