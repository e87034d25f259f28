/**
 * "Where it is installed", drawn as a small picture of the computer: one tile per store that holds the
 * certificate (system store, each browser profile, Java, a bundle named by a variable…), with how that
 * store treats it, then the places that were checked and do not hold it.
 */
import type { ReactElement } from 'react'
import { useI18n } from '../i18n-context'
import { byStoreKind, entryName, isPathEntry, storeName, storeNameIn } from '../labels'
import type { Finding, ScanReport } from '../types'
import { visible } from '../visible'
import { TrustBadge } from './common'
import { Icon } from './icons'
import { PlacedByNote } from './placed-by'

export function StorePicture({ finding, report }: { readonly finding: Finding; readonly report: ScanReport }): ReactElement {
  const { t } = useI18n()
  const here = new Set(finding.locations.map((l) => l.storeId))
  const elsewhere = report.stores.filter((s) => !here.has(s.id) && s.status !== 'failed')
  return (
    <div className="store-picture">
      <p className="store-picture-caption">
        <Icon name="system" />
        {t('stores.thisComputer')}
      </p>
      <ul className="store-tiles">
        {byStoreKind(finding.locations).map((place) => {
          const name = storeNameIn(t, report, place)
          return (
            <li key={`${place.storeId}\u0000${place.entry}`} className={`store-tile trust-tile-${place.trust}`}>
              <span className="store-tile-icon">
                <Icon name={name.icon} />
              </span>
              <span className="store-tile-body">
                <span className="store-tile-name">{name.label}</span>
                <TrustBadge trust={place.trust} />
                <span className="store-tile-entry">
                  {isPathEntry(place.entry) ? t('stores.fromFile', { file: entryName(place.entry) }) : t('stores.entry', { entry: place.entry })}
                </span>
                <span className="path">{visible(place.origin?.file ?? (isPathEntry(place.entry) ? place.entry : place.location))}</span>
                <PlacedByNote placed={place.placedBy} />
              </span>
            </li>
          )
        })}
      </ul>
      {elsewhere.length > 0 && (
        <p className="store-elsewhere">
          {t('stores.notHere', { count: elsewhere.length, places: elsewhere.map((s) => storeName(t, s).label).join(', ') })}
        </p>
      )}
    </div>
  )
}
