import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { fileError, readBundleFile } from '../shared/bundle-file.js'
import type { Environment } from '../shared/environment.js'
import type { EnvBundleLocation } from './discover.js'
import { walkFiles } from '../shared/paths.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'

/** Lists the bundle or folder a variable points at. These are never edited: removal tells the user where the variable is set. */
export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  const problem = (location as EnvBundleLocation).problem
  if (problem) throw new StoreError(problem.code, problem.message)
  const setBy = location.note ?? 'set by an environment variable'
  let isDir: boolean
  try {
    isDir = (await stat(location.location)).isDirectory()
  } catch (error) {
    const cause = fileError(location.location, error)
    throw new StoreError(cause.code, `${cause.message} (This ${setBy}.)`)
  }
  if (!isDir) {
    yield* readBundleFile(location.location)
    return
  }
  const problems: ListItem[] = []
  const read = new Set<string>()
  for await (const file of walkFiles(env, location.location, (error, path) => problems.push({ type: 'problem', path, code: error.code, message: error.message }))) {
    // OpenSSL's CApath reads only hash-named files (`<subject hash>.<n>`), never a bundle that sits there.
    // Several hash links may point at one file: read each file once.
    if (!/^[0-9a-f]{8}\.\d+$/.test(basename(file.path)) || read.has(file.realPath)) continue
    read.add(file.realPath)
    try {
      let index = 0
      for await (const item of readBundleFile(file.realPath, 'trusted', { noFollow: true })) {
        yield item.type === 'entry' ? { ...item, entry: ++index === 1 ? file.path : `${file.path} (certificate ${index})` } : item
      }
    } catch (error) {
      const cause = error instanceof StoreError ? error : fileError(file.path, error)
      problems.push({ type: 'problem', path: file.path, code: cause.code, message: cause.message })
    }
  }
  yield* problems
}
