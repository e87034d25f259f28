import { basename } from 'node:path'
import { readCertificates } from '../../audit/pem.js'
import type { Environment } from '../shared/environment.js'
import { readConfigText } from '../shared/machine-files.js'
import { listPointed } from '../shared/pointed.js'
import { StoreError, type ListItem, type StoreLocation } from '../types.js'
import { normalKey, parseSettings } from './config-syntax.js'
import type { RuntimeLocation } from './discover.js'

/** The id prefix of a config file whose settings hold certificates themselves (npm's and Yarn's `ca`). */
export const INLINE = 'runtime:inline:'

/**
 * Lists a runtime's bundle, folder or keystore (shared/pointed.ts: each entry says whether it is stock
 * or added), or the certificates a config file holds inline. A place found but unreadable fails with why.
 */
export async function* list(location: StoreLocation, env: Environment): AsyncGenerator<ListItem> {
  const { problem, password } = location as RuntimeLocation
  if (problem) throw new StoreError(problem.code, problem.message)
  if (location.id.startsWith(INLINE)) {
    yield* listInline(location.location, env)
    return
  }
  yield* listPointed(location.location, env, { why: location.note ?? 'file is a tool’s own CA bundle', ...(password !== undefined ? { password } : {}) })
}

/**
 * npm's `ca` / `ca[]` and Yarn 1's `ca`: certificates written into the config itself, with `\n` for
 * line breaks (https://docs.npmjs.com/cli/v10/using-npm/config#ca). Each is named by its line.
 */
async function* listInline(path: string, env: Environment): AsyncGenerator<ListItem> {
  const read = await readConfigText(env, path)
  if (!read) throw new StoreError('enoent', `${path} does not exist.`)
  const { settings } = parseSettings(read.text, basename(path) === '.yarnrc' ? 'yarnrc' : 'npmrc')
  for (const setting of settings) {
    const key = normalKey(setting.key)
    if (key !== 'ca' && key !== 'ca[]') continue
    const pem = setting.value.replace(/\\n/g, '\n')
    let index = 0
    for (const item of readCertificates(Buffer.from(pem, 'latin1'))) {
      if (item.type === 'problem') yield { type: 'problem', path, code: item.code, message: `${path}, line ${setting.line}: ${item.message}` }
      else yield { type: 'entry', der: item.der, entry: `${setting.key}, line ${setting.line}${++index > 1 ? ` (certificate ${index})` : ''}`, trust: 'trusted' }
    }
  }
}
