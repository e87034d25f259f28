/**
 * Runs one step of CertAudit's own NSS writer in a process of its own, so that the crash tests
 * (sqlite-writer-crash.test.ts) can kill it with SIGKILL at a chosen system call, as a power cut would.
 * Arguments: the home folder, the backup (a JSON file), and `delete`, `distrust` or `restore`.
 * Prints the outcome as JSON. Only tests run this file.
 */
import { readFileSync } from 'node:fs'
import { sqliteWriter, type NssRowsBackupData } from '../../../src/stores/nss/sqlite-writer.js'
import { createEnvironment } from '../../../src/stores/shared/environment.js'
import type { Backup, Elevation } from '../../../src/stores/types.js'

const [home, backupFile, action] = process.argv.slice(2)
const env = createEnvironment({ home: home!, systemRoot: '/', env: {} })
const backup = JSON.parse(readFileSync(backupFile!, 'utf8')) as Backup<NssRowsBackupData>
const none: Elevation = { run: () => Promise.reject(new Error('no command')) }
const outcome = action === 'restore' ? await sqliteWriter.restore(backup, env, none) : await sqliteWriter.apply(backup, action === 'distrust' ? 'distrust' : 'delete', env, none)
process.stdout.write(JSON.stringify(outcome))
