import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Runs `use` with a fresh private folder (0700) in the system's temp folder, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `certaudit-${prefix}-`))
  try {
    return await use(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Runs `use` with `content` in a file of a fresh private folder, removed afterwards: for tools that
 * read a certificate only from a file (certutil -A, certutil.exe -addstore, security, keytool).
 */
export function withTempFile<T>(prefix: string, name: string, content: string | Uint8Array, use: (file: string) => Promise<T>, mode = 0o600): Promise<T> {
  return withTempDir(prefix, async (dir) => {
    const file = join(dir, name)
    await writeFile(file, content, { mode })
    return use(file)
  })
}
