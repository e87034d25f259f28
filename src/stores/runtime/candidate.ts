/** What the runtime kind's finders report: one place a tool takes trusted roots from, before places are merged. */
export interface Candidate {
  /** The bundle, folder or keystore (or, for `inline`, the config file holding the certificates). */
  readonly path: string
  /** The tool or runtime, as the window names it: python, pip, npm, yarn, conda, curl, docker, java … */
  readonly tool: string
  /** What this place is to the tool, in English for the note ("certifi's bundle", "cafile"). */
  readonly what: string
  /** The virtual environment, conda environment or registry it belongs to. */
  readonly environment?: string
  /** The setting that points at it: "cafile in /home/a/.npmrc, line 3". */
  readonly setBy?: string
  readonly type: 'file' | 'dir' | 'keystore' | 'inline'
  /** A keystore's password, when the setting gives one. */
  readonly password?: string
  /** Found, but what it names cannot be read or known: listing it fails with this. */
  readonly problem?: { readonly code: string; readonly message: string }
}

/** A problem as a candidate: a place that will be reported as failed, saying why. */
export function problemAt(path: string, tool: string, code: string, message: string): Candidate {
  return { path, tool, what: 'setting', type: 'file', problem: { code, message } }
}
