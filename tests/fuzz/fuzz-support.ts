/**
 * Shared by the property tests of tests/fuzz: how many inputs to try, and the checks every property
 * makes of a call: it ends within a second, and it either answers or fails with one of the
 * documented error types carrying a code and a message people can read.
 *
 * The normal suite tries a few hundred inputs per property. `npm run fuzz` ("vitest run tests/fuzz")
 * tries {@link FUZZ_SCRIPT_RUNS} per property; FUZZ_RUNS=n sets the number for any run.
 */
import { performance } from 'node:perf_hooks'
import fc from 'fast-check'
import { expect } from 'vitest'

/** Inputs per property under `npm run fuzz` (npm names the script it runs in npm_lifecycle_event). */
export const FUZZ_SCRIPT_RUNS = 10_000
const FROM_ENV = Number(process.env.FUZZ_RUNS) || (process.env.npm_lifecycle_event === 'fuzz' ? FUZZ_SCRIPT_RUNS : NaN)

/** Inputs per property: FUZZ_RUNS when set, otherwise `normal` (kept small: this runs in every `npx vitest run`). */
export function runs(normal: number): number {
  return Number.isFinite(FROM_ENV) && FROM_ENV > 0 ? FROM_ENV : normal
}

/** Per-test timeout: generous under `npm run fuzz`, the suite's default otherwise. */
export const FUZZ_TIMEOUT_MS = Number.isFinite(FROM_ENV) && FROM_ENV > 0 ? 60 * 60 * 1000 : 60_000

/** No single input may take a second or more. */
export const MAX_CALL_MS = 1000

/** Runs `fn`, failing the property when it takes a second or more. */
export function withinASecond<T>(fn: () => T, what: string): T {
  const start = performance.now()
  const result = fn()
  const ms = performance.now() - start
  expect(ms, `${what} took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_CALL_MS)
  return result
}

/** {@link withinASecond} for async calls. */
export async function withinASecondAsync<T>(fn: () => Promise<T>, what: string): Promise<T> {
  const start = performance.now()
  const result = await fn()
  const ms = performance.now() - start
  expect(ms, `${what} took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_CALL_MS)
  return result
}

/**
 * The error a call threw, checked to be one of the `allowed` types with a code and a readable
 * message; anything else (a TypeError, a RangeError from a wild length, a string) fails.
 */
export function expectStructured(error: unknown, allowed: readonly (abstract new (...args: never[]) => Error)[], what: string): void {
  expect(allowed.some((type) => error instanceof type), `${what} threw ${String((error as Error)?.stack ?? error)}`).toBe(true)
  const { message } = error as Error
  expect(typeof message === 'string' && message.length > 0, `${what}: empty message`).toBe(true)
  const code = (error as { code?: unknown }).code
  if (code !== undefined) expect(typeof code === 'string' && code.length > 0, `${what}: bad code ${String(code)}`).toBe(true)
}

/** Overwrites, flips or cuts bytes of a copy of `bytes`, as damage on disk would. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'overwrite'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'zero'; readonly at: number; readonly length: number }

export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(bytes)
  for (const m of mutations) {
    if (out.length === 0) break
    const at = m.at % out.length
    if (m.kind === 'flip') out[at] = out[at]! ^ (1 << m.bit)
    else if (m.kind === 'truncate') out = out.subarray(0, at)
    else if (m.kind === 'overwrite') Buffer.from(m.bytes).copy(out, at)
    else out.fill(0, at, Math.min(out.length, at + m.length))
  }
  return out
}

/** Damage: 1 to 8 flipped bits, overwritten runs, zeroed runs (whole pages too) or a cut. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    fc.record({ kind: fc.constant('zero' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8192 }) }),
  ),
  { minLength: 1, maxLength: 8 },
)
