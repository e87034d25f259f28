import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, onTestFinished } from 'vitest'

/** A temp dir removed when the test that made it ends (or, made outside a test, when the file ends). */
export function tempDir(prefix = 'certaudit-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const cleanup = () => rmSync(dir, { recursive: true, force: true })
  try {
    onTestFinished(cleanup)
  } catch {
    afterAll(cleanup) // not inside a test: at the end of the file
  }
  return dir
}
