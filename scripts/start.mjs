// `npm start`: opens the desktop app once its shell (electron/) is built; until then, says so and
// shows the command-line scan, which runs the same engine.
import { existsSync } from 'node:fs'

if (!existsSync(new URL('../electron/main.ts', import.meta.url))) {
  process.stdout.write(
    'The CertAudit desktop window is not part of this build yet: the engine and the command line are.\n' +
      'Scan a certificate file or bundle with:\n\n' +
      '  npx certaudit scan --file /etc/ssl/certs/ca-certificates.crt\n\n',
  )
  process.exitCode = 0
}
