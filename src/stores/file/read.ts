import { readBundleFile } from '../shared/bundle-file.js'
import type { ListItem, StoreLocation } from '../types.js'

/** Everything in a named file counts as trusted, as it would be if a program were pointed at it. */
export function list(location: StoreLocation): AsyncGenerator<ListItem> {
  return readBundleFile(location.location)
}
