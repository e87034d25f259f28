/**
 * A Chromium user data folder's `Local State` (JSON): `profile.info_cache` names each profile the
 * browser knows, by its folder (the key: "Default", "Profile 1"…) with the name people gave it
 * (`name`). Read for those names and for which folders are listed; never trusted beyond that, and a
 * damaged file only costs the names (the profile folders are found on disk anyway).
 * https://source.chromium.org/chromium/chromium/src/+/main:chrome/browser/profiles/profile_attributes_storage.cc
 */
import { z } from 'zod'
import { fileError, readRegularFile } from '../shared/regular-file.js'
import { StoreError } from '../types.js'

/** Local State is tens of kilobytes; far past this it is not one. */
export const MAX_LOCAL_STATE_BYTES = 32 * 1024 * 1024

const localState = z.object({
  profile: z.object({ info_cache: z.record(z.string(), z.unknown()).optional() }).loose().optional(),
}).loose()
const profileInfo = z.object({ name: z.string() }).loose()

/** What Local State says of the profiles: name by folder key. */
export interface ProfileNames {
  /** Folder key → the profile's name (the key itself when the entry has no name). Null: no usable Local State. */
  readonly names: ReadonlyMap<string, string> | null
  /** Why Local State could not be used, when it exists but is damaged. */
  readonly problem?: { readonly code: string; readonly message: string }
}

/**
 * Reads `path` (a Local State file, where its links led: the caller followed them and checked they stay
 * in the home), named `shown` in messages. A missing file is no problem; one that is not a regular file
 * (a FIFO, a device) or far too large is refused by the one reader, and said.
 */
export async function readProfileNames(path: string, shown: string): Promise<ProfileNames> {
  let text: string
  try {
    text = (await readRegularFile(path, { maxBytes: MAX_LOCAL_STATE_BYTES, noFollow: true, what: 'Local State', shown })).toString('utf8')
  } catch (error) {
    const reason = fileError(shown, error)
    if (reason.code === 'enoent') return { names: null }
    return { names: null, problem: { code: reason.code, message: `${reason.message} The profile folders were looked for on disk instead.` } }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return damaged(shown, `it is not JSON (${(error as Error).message})`)
  }
  const parsed = localState.safeParse(json)
  if (!parsed.success) return damaged(shown, 'it is not the browser’s list of profiles')
  const names = new Map<string, string>()
  for (const [key, value] of Object.entries(parsed.data.profile?.info_cache ?? {})) {
    const info = profileInfo.safeParse(value)
    names.set(key, info.success && info.data.name.trim() !== '' ? info.data.name : key)
  }
  return { names }
}

function damaged(shown: string, why: string): ProfileNames {
  return {
    names: null,
    problem: {
      code: 'chromium-bad-local-state',
      message: `${shown} is damaged: ${why}. The browser may have lost its list of profiles; CertAudit looked for the profile folders on disk and checked those it found.`,
    },
  }
}

/** A StoreError for a place discovery found but could not look into. */
export function unreadable(error: unknown, path: string): StoreError {
  return error instanceof StoreError ? error : fileError(path, error)
}
