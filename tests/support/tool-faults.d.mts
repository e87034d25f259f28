// Types of tool-faults.mjs (plain JavaScript, so the built CLI's crash wrapper can run it under node alone).
import type { CommandRunner } from '../../src/stores/shared/command.js'

export class PowerCut extends Error {
  constructor(what: string)
}

export const UPDATE_CA_CERTIFICATES: string
export const haveStrace: boolean

export type ToolFault =
  | { readonly tool: 'certutil'; readonly op: '-D' | '-A' | '-M'; readonly syscall: string; readonly nth: number }
  | { readonly tool: 'keytool'; readonly op: '-delete' | '-importcert'; readonly nth: number }
  | { readonly tool: 'update-ca-certificates'; readonly script: string; readonly counter: string; readonly at?: number; readonly rehash?: string }

export function instrumentUpdateCaCertificates(dir: string): string | null
export function faultyRunner(base: CommandRunner, fault: ToolFault, onCrash: 'kill-self' | 'throw'): CommandRunner
export function crashPoints(counter: string): string[]
