// Runs @doyensec/electronegativity over the app (the Electron shell and the renderer's page) offline and
// fails on any HIGH or MEDIUM finding. Part of `npm test`.
//
// Excluded checks, and why:
// - AvailableSecurityFixesGlobalCheck: needs the network (it fetches Electron's release list).
// - OpenExternalJSCheck: flags every shell.openExternal call for review; ours only ever receives https
//   URLs, checked by isSafeExternalUrl (electron/security.ts), which tests/electron asserts.
// - ProtocolHandlerJSCheck: flags app.setAsDefaultProtocolClient for review. Ours registers certaudit://,
//   whose one use is a guard notification's click: electron/guard.ts's findingFromUrl takes nothing from it
//   but certaudit://finding/<hex id> (anything else is ignored), which tests/electron/guard.test.ts asserts.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const electronVersion = createRequire(import.meta.url)('electron/package.json').version
const stage = mkdtempSync(join(tmpdir(), 'certaudit-electronegativity-'))
try {
  cpSync('electron', join(stage, 'electron'), { recursive: true })
  cpSync('renderer/index.html', join(stage, 'renderer/index.html'))
  const out = join(stage, 'result.csv')
  execFileSync(
    process.execPath,
    [createRequire(import.meta.url).resolve('@doyensec/electronegativity/dist/index.js'), '-i', stage, '-r', '-e', electronVersion, '-o', out, '-x', 'AvailableSecurityFixesGlobalCheck,OpenExternalJSCheck,ProtocolHandlerJSCheck'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1).filter(Boolean)
  const serious = rows.filter((row) => /^[A-Z_]+,"(HIGH|MEDIUM)"/.test(row))
  for (const row of rows) console.log(row.slice(0, 200))
  console.log(`electronegativity (Electron ${electronVersion}): ${rows.length} findings, ${serious.length} HIGH or MEDIUM`)
  if (serious.length) process.exitCode = 1
} finally {
  rmSync(stage, { recursive: true, force: true })
}
