/**
 * The files a scan must refuse without hanging or reading forever, made for real in temp folders:
 * FIFOs (mkfifo), links to /dev/zero and /dev/urandom, Unix sockets, device nodes (mknod, as root),
 * sparse files far bigger than their kind (truncate), link loops, folders. One maker for every test
 * of the class (tests/stores/shared/regular-file.test.ts, tests/faults/special-files.test.ts …).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { dirname } from 'node:path'

export type SpecialKind = 'fifo' | 'zero-link' | 'urandom-link' | 'socket' | 'char-device' | 'block-device' | 'sparse' | 'link-loop' | 'folder'

/** Every kind, for tests that go through them all. */
export const SPECIAL_KINDS: readonly SpecialKind[] = ['fifo', 'zero-link', 'urandom-link', 'socket', 'char-device', 'block-device', 'sparse', 'link-loop', 'folder']

/** The kinds that need no privilege (a device node needs root's mknod). */
export const isRoot = process.getuid?.() === 0

/** Why a kind cannot be made here, or null when it can. */
export function cannotMake(kind: SpecialKind): string | null {
  if ((kind === 'char-device' || kind === 'block-device') && !isRoot) return 'making a device node (mknod) needs root'
  return null
}

/**
 * Makes `kind` at `path` (replacing what is there). `sparseBytes` is the apparent size of a sparse
 * file: no disk space is used. A link to a device points at the live /dev (outside any --system-root);
 * a device node is made in place, as a disk image's own /dev holds them.
 */
export function makeSpecial(kind: SpecialKind, path: string, sparseBytes = 100 * 1024 ** 3): void {
  mkdirSync(dirname(path), { recursive: true })
  rmSync(path, { recursive: true, force: true })
  switch (kind) {
    case 'fifo':
      execFileSync('mkfifo', [path])
      return
    case 'zero-link':
      symlinkSync('/dev/zero', path)
      return
    case 'urandom-link':
      symlinkSync('/dev/urandom', path)
      return
    case 'socket':
      // A listening Unix socket's file, left behind when its process ends (as a crashed daemon's is).
      execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', path])
      return
    case 'char-device':
      execFileSync('mknod', [path, 'c', '1', '5']) // what /dev/zero is
      return
    case 'block-device':
      execFileSync('mknod', [path, 'b', '7', '0']) // a loop device
      return
    case 'sparse':
      execFileSync('truncate', ['-s', String(sparseBytes), path])
      return
    case 'link-loop':
      symlinkSync(path, path)
      return
    case 'folder':
      mkdirSync(path)
      return
  }
}

/** What a report's problem must say of each kind (the words of shared/regular-file.ts and the walks). */
export const SAYS: Readonly<Record<SpecialKind, RegExp>> = {
  fifo: /named pipe \(FIFO\)/,
  'zero-link': /character device/,
  'urandom-link': /character device/,
  socket: /socket/,
  'char-device': /character device/,
  'block-device': /block device/,
  sparse: /far larger than any/,
  'link-loop': /link (loop|that points back)|symbolic link/,
  folder: /folder/,
}

/** The codes a refusal of each kind carries. */
export const CODES: Readonly<Record<SpecialKind, readonly string[]>> = {
  fifo: ['not-a-file'],
  'zero-link': ['not-a-file'],
  'urandom-link': ['not-a-file'],
  socket: ['not-a-file'],
  'char-device': ['not-a-file'],
  'block-device': ['not-a-file'],
  sparse: ['too-large'],
  'link-loop': ['eloop', 'not-a-file'],
  folder: ['eisdir'],
}

/**
 * `count` empty files named 0, 1, 2 … (plus `suffix`) in `dir`, made by one python3 process: a folder
 * of 100,000 entries in a second or two, where as many writeFileSync calls take tens of seconds here.
 */
export function makeManyFiles(dir: string, count: number, suffix = ''): void {
  mkdirSync(dir, { recursive: true })
  execFileSync('python3', ['-c', 'import os,sys\nd,n,s=sys.argv[1],int(sys.argv[2]),sys.argv[3]\nfor i in range(n): os.close(os.open(os.path.join(d,str(i)+s),os.O_CREAT|os.O_WRONLY,0o644))', dir, String(count), suffix])
}
