/**
 * Every default certificate file and folder that OpenSSL, LibreSSL, GnuTLS, Go, Rust programs and curl trust
 * on a Unix-like system, on any distribution (places.ts): Alpine, NixOS, Gentoo, Void, Slackware,
 * Clear Linux, minimal containers, the BSDs, macOS and Homebrew, Android. The places the linux-system
 * kind reads for the layout it found are left to it, so each is read once (discover.ts). Read as
 * bundles or certificate folders (read.ts); never edited: the plan says who rebuilds each file (write.ts).
 */
import type { StoreAdapter } from '../types.js'
import { discover } from './discover.js'
import { opensslNotices } from './notices.js'
import { list } from './read.js'
import { opensslBackupData, opensslWriter } from './write.js'

export const opensslStore: StoreAdapter<Record<string, never>> = {
  kind: 'openssl',
  discover,
  list,
  capabilities: opensslWriter.capabilities,
  backup: opensslWriter.backup,
  apply: opensslWriter.apply,
  restore: opensslWriter.restore,
  backupData: opensslBackupData,
  notices: opensslNotices,
}
