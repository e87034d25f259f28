/**
 * "Where it came from, and whether it will come back": what put a certificate in each place a finding
 * names, worked out once per scan for the places of findings only (never for every certificate of
 * every store). Each kind may answer for its own places (StoreAdapter.placedBy: its policy file, its
 * Group Policy store, the system store a Java keystore is generated from); otherwise the shared rules
 * below decide: a variable or setting that points programs at it, a file a package owns, else by hand.
 * The report, the plan, the window and the guard all take this one answer.
 */
import type { Finding, FindingLocation, StoreReport } from '../../audit/report.js'
import type { StoreKind, StoreRegistry } from '../registry.js'
// The system store's bundles are read by other kinds too (a variable's bundle, OpenSSL's default file): it says what they are generated from.
import { generatedFromSystem } from '../linux-system/placed-by.js'
import type { PlacedBy, PlacedPlace, Placement, PlacementContext } from '../types.js'
import type { Environment } from './environment.js'
import { packageOwners, packagePlacedBy } from './package-owner.js'
import { settingOf, variableSettings, type VariableSetting } from './variable-files.js'

/** What the shared rules and the kinds are lent during one scan. */
export interface PlacedByContext extends PlacementContext {
  /** Why some answers could not be had (a package tool is missing…), in English. */
  readonly problems: readonly string[]
  /** Notes that one answer could not be had. */
  failed(text: string): void
}

/** A context for one scan: package answers and variable files are read once, then kept until the scan ends. */
export function placedByContext(env: Environment): PlacedByContext {
  const owners = packageOwners(env)
  const settings = new Map<string, Promise<VariableSetting[]>>()
  const failures: string[] = []
  return {
    env,
    owner: (path) => owners.owner(path),
    get problems() {
      return [...owners.problems, ...failures]
    },
    failed(text) {
      failures.push(text)
    },
    async setting(variable, path) {
      let found = settings.get(variable)
      if (!found) settings.set(variable, (found = variableSettings(env, [variable]).catch(() => [])))
      const setting = settingOf(await found, variable, path)
      return setting ? { file: setting.file, line: setting.line } : null
    },
  }
}

/**
 * A scan's findings with `placedBy` on every place, and what kept some answers from being had (as the
 * report's problems). `requested`: the kinds the scan looked for; one whose store failed proves nothing.
 */
export async function placeFindings(
  findings: readonly Finding[],
  stores: readonly StoreReport[],
  options: { readonly env: Environment; readonly registry: StoreRegistry; readonly requested: readonly StoreKind[] },
): Promise<{ readonly findings: Finding[]; readonly problems: readonly string[] }> {
  const context = placedByContext(options.env)
  const failed = new Set(stores.filter((s) => s.status === 'failed').map((s) => s.kind))
  const scanned = new Set(options.requested.filter((kind) => !failed.has(kind)))
  const placed = await withPlacedBy(findings, stores, options.registry, context, scanned)
  return { findings: placed, problems: context.problems }
}

/** The findings, each place with its `placedBy`; `stores` gives each place its store's facts. */
export async function withPlacedBy(
  findings: readonly Finding[],
  stores: readonly StoreReport[],
  registry: StoreRegistry,
  context: PlacedByContext,
  scannedKinds: ReadonlySet<StoreKind>,
): Promise<Finding[]> {
  const facts = new Map(stores.map((s) => [s.id, s.facts]))
  return Promise.all(
    findings.map(async (finding) => {
      const places = finding.locations.map((l) => placeOf(l, facts.get(l.storeId)))
      const locations = await Promise.all(
        finding.locations.map(async (location, index): Promise<FindingLocation> => {
          const placement: Placement = { place: places[index]!, elsewhere: places.filter((_, i) => i !== index), scannedKinds }
          return { ...location, placedBy: await placedBy(placement, registry, context) }
        }),
      )
      return { ...finding, locations }
    }),
  )
}

/**
 * One place's answer: its kind's, else the shared rules'. Never throws: what cannot be told is "by
 * hand, or by a program CertAudit cannot name", and the report's problems say why it could not be told.
 */
export async function placedBy(placement: Placement, registry: StoreRegistry, context: PlacedByContext): Promise<PlacedBy> {
  try {
    const adapter = registry[placement.place.kind]
    const own = adapter?.placedBy ? await adapter.placedBy(placement, context) : null
    return own ?? (await generatedFromSystem(placement, context.env)) ?? (await sharedPlacedBy(placement.place, context))
  } catch (error) {
    context.failed(`CertAudit could not tell what put a certificate in ${placement.place.location}: ${(error as Error).message}`)
    return HAND
  }
}

const HAND: PlacedBy = { by: 'hand', comesBack: false }

/** Firefox's policy that installs certificates (policies.json), as the report names it: its store and Firefox's profiles say it alike. */
export const FIREFOX_INSTALL_POLICY = 'Firefox Certificates.Install'

/** For kinds whose places hold only what was imported into them (a keychain, a browser's own database). */
export async function byHand(): Promise<PlacedBy> {
  return HAND
}

/**
 * The rules for any kind: the system store's own bundle (generatedFromSystem, tried first: removing the
 * source is what lasts), a variable or setting that points programs at the place (and the file that
 * sets it), a file of the system that a package owns, else by hand.
 */
export async function sharedPlacedBy(place: PlacedPlace, context: PlacementContext): Promise<PlacedBy> {
  const setBy = place.facts?.setBy ?? []
  if (setBy.length > 0) return environmentPlacedBy(setBy, place.location, context)
  const file = place.origin?.file ?? (place.location.startsWith('/') ? place.location : undefined)
  return (await packagePlacedBy(file, context)) ?? (place.origin ? { ...HAND, file: place.origin.file } : HAND)
}


/**
 * Variables (and settings such as git's "http.sslCAInfo in /home/a/.gitconfig") that point programs at
 * `path`: set again in every new session until the line that sets them goes. The env-bundle kind names
 * where it found each one ("SSL_CERT_FILE (set in /home/a/.profile, line 3)", "X in FILE, line N"): that is
 * taken as it is; a variable it found only in this process's environment is looked for in the start-up files.
 */
export async function environmentPlacedBy(setBy: readonly string[], path: string, context: PlacementContext): Promise<PlacedBy> {
  const settings = setBy.map(parseSetBy)
  const name = settings.map((s) => s.name).join(', ')
  for (const setting of settings) {
    if (setting.file) return { by: 'environment', name, file: setting.file, ...(setting.line ? { line: setting.line } : {}), comesBack: true }
    const found = await context.setting(setting.name, path)
    if (found) return { by: 'environment', name, file: found.file, line: found.line, comesBack: true }
  }
  return { by: 'environment', name, comesBack: true }
}

/** A variable or setting as the env-bundle kind words it: its name, and where it is set when known. */
export function parseSetBy(text: string): { readonly name: string; readonly file?: string; readonly line?: number } {
  const at = /^(.+?) \(set in (\/.+), line (\d+)\)$/.exec(text) ?? /^(.+?) in (\/.+), line (\d+)$/.exec(text)
  if (at) return { name: at[1]!, file: at[2]!, line: Number(at[3]) }
  const inFile = /^(.+?) in (\/.+)$/.exec(text)
  if (inFile) return { name: inFile[1]!, file: inFile[2]! }
  return { name: text }
}

/** A finding's location with its store's facts, as a kind is asked about it. */
function placeOf(location: FindingLocation, facts: PlacedPlace['facts']): PlacedPlace {
  const { storeId, kind, location: where, entry, trust, origin } = location
  return { storeId, kind, location: where, entry, trust, ...(origin ? { origin } : {}), ...(facts ? { facts } : {}) }
}
