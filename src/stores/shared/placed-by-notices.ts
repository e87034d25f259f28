/**
 * "Put there by …; it will come back until …", and the plan's advice to remove the cause first, in
 * English, Russian and Kazakh: what the command line, the HTML report, the plan and the guard say of a
 * {@link PlacedBy}. The window says the same in its own catalogues (renderer/locales, `placed.*`).
 */
import type { Language } from '../../audit/blocklist.js'
import type { PlacedBy } from '../types.js'
import { defineNotices, noticeText, type Notice } from './notices.js'

export const placedByNotices = defineNotices({
  en: {
    'placed-policy': 'Put there by a policy ({name}) in {file}.',
    'placed-policy-profile': 'Put there by a policy ({name}) that a configuration profile (MDM) set, in {file}.',
    'placed-policy-unnamed': 'Put there by a policy ({name}).',
    'placed-package': 'Put there by the package {name}, whose file {file} holds it.',
    'placed-environment': 'Used because {name} points programs at it, set in {file}.',
    'placed-environment-unknown': 'Used because {name} points programs at it; CertAudit found no file that sets it.',
    'placed-generated': 'Generated from the system certificates ({file}) by {tool}.',
    'placed-generated-unknown': 'Generated from the system certificates by {tool}.',
    'placed-hand': 'Put there by hand, or by a program CertAudit cannot name.',
    'back-policy': 'It will come back until that policy is removed.',
    'back-package': 'A reinstall or upgrade of {name} will put it back until that package is removed.',
    'back-environment': 'Programs will use it again in every new session until {name} is no longer set.',
    'back-generated': 'It will come back each time {tool} runs, until it is removed from the system certificates too.',
    'back-none': 'Nothing CertAudit knows of will put it back.',
    'advice-policy': 'Remove the policy ({name}) in {file} first, or ask whoever manages this computer to: until it goes, it puts the certificate back.',
    'advice-policy-unnamed': 'Ask whoever manages this computer to remove the policy ({name}) first: until it goes, it puts the certificate back.',
    'advice-package': 'The package {name} installed it, and its next upgrade or reinstall can put it back: uninstall {name} first if nothing else needs it, or keep the guard on to be warned when it comes back.',
    'advice-environment': 'Remove the line that sets {name} from {file} first, or programs use this bundle again in every new session.',
    'advice-environment-unknown': 'Find where {name} is set (a login script, a service, a program that starts others) and remove it first, or programs keep using this bundle.',
    'advice-generated': 'Remove it from the system certificates ({file}) in the same change, or {tool} puts it back.',
    'advice-generated-unknown': 'Remove it from the system certificates in the same change, or {tool} puts it back.',
  },
  ru: {
    'placed-policy': 'Установлен политикой ({name}) в {file}.',
    'placed-policy-profile': 'Установлен политикой ({name}), которую задал профиль конфигурации (MDM), в {file}.',
    'placed-policy-unnamed': 'Установлен политикой ({name}).',
    'placed-package': 'Установлен пакетом {name}: он хранится в файле этого пакета {file}.',
    'placed-environment': 'Используется, потому что {name} указывает на него программам; задаётся в {file}.',
    'placed-environment-unknown': 'Используется, потому что {name} указывает на него программам; файл, где это задано, CertAudit не нашёл.',
    'placed-generated': 'Создан из системных сертификатов ({file}) командой {tool}.',
    'placed-generated-unknown': 'Создан из системных сертификатов командой {tool}.',
    'placed-hand': 'Установлен вручную или программой, которую CertAudit не может назвать.',
    'back-policy': 'Он будет возвращаться, пока политика не удалена.',
    'back-package': 'Переустановка или обновление пакета {name} вернёт его, пока этот пакет не удалён.',
    'back-environment': 'Программы снова будут его использовать в каждом новом сеансе, пока {name} задана.',
    'back-generated': 'Он будет возвращаться при каждом запуске {tool}, пока его не удалят и из системных сертификатов.',
    'back-none': 'Ничего из известного CertAudit его не вернёт.',
    'advice-policy': 'Сначала удалите политику ({name}) в {file} или попросите об этом того, кто управляет компьютером: пока она есть, она возвращает сертификат.',
    'advice-policy-unnamed': 'Сначала попросите того, кто управляет компьютером, убрать политику ({name}): пока она есть, она возвращает сертификат.',
    'advice-package': 'Его установил пакет {name}, и следующее обновление или переустановка может его вернуть: сначала удалите {name}, если он больше ничему не нужен, или не выключайте защиту, чтобы узнать, когда он вернётся.',
    'advice-environment': 'Сначала удалите из {file} строку, задающую {name}, иначе программы снова будут использовать этот набор в каждом новом сеансе.',
    'advice-environment-unknown': 'Найдите, где задана {name} (сценарий входа, служба, программа, запускающая другие), и сначала уберите её, иначе программы продолжат использовать этот набор.',
    'advice-generated': 'Удалите его и из системных сертификатов ({file}) в этом же изменении, иначе {tool} вернёт его.',
    'advice-generated-unknown': 'Удалите его и из системных сертификатов в этом же изменении, иначе {tool} вернёт его.',
  },
  kk: {
    'placed-policy': 'Оны {file} ішіндегі саясат ({name}) орнатқан.',
    'placed-policy-profile': 'Оны конфигурация профилі (MDM) берген саясат ({name}) орнатқан, {file} ішінде.',
    'placed-policy-unnamed': 'Оны саясат ({name}) орнатқан.',
    'placed-package': 'Оны {name} пакеті орнатқан: ол осы пакеттің {file} файлында.',
    'placed-environment': '{name} бағдарламаларды оған бағыттайтындықтан қолданылады; ол {file} ішінде берілген.',
    'placed-environment-unknown': '{name} бағдарламаларды оған бағыттайтындықтан қолданылады; CertAudit оны беретін файлды таппады.',
    'placed-generated': 'Ол жүйелік сертификаттардан ({file}) {tool} командасымен жасалған.',
    'placed-generated-unknown': 'Ол жүйелік сертификаттардан {tool} командасымен жасалған.',
    'placed-hand': 'Оны қолмен немесе CertAudit атай алмайтын бағдарлама орнатқан.',
    'back-policy': 'Саясат жойылғанша ол қайта орнатыла береді.',
    'back-package': '{name} пакетін қайта орнату немесе жаңарту оны қайтарады, сол пакет жойылғанша.',
    'back-environment': '{name} берілген кезде бағдарламалар оны әр жаңа сеанста қайта қолданады.',
    'back-generated': 'Жүйелік сертификаттардан да жойылмайынша, {tool} әр іске қосылғанда ол қайта орнатылады.',
    'back-none': 'CertAudit білетін ешнәрсе оны қайтармайды.',
    'advice-policy': 'Алдымен {file} ішіндегі саясатты ({name}) жойыңыз немесе компьютерді басқаратын адамнан сұраңыз: ол тұрғанша сертификатты қайтарады.',
    'advice-policy-unnamed': 'Алдымен компьютерді басқаратын адамнан саясатты ({name}) алып тастауды сұраңыз: ол тұрғанша сертификатты қайтарады.',
    'advice-package': 'Оны {name} пакеті орнатқан, және оның келесі жаңартуы не қайта орнатылуы оны қайтаруы мүмкін: басқа ешнәрсеге керек болмаса, алдымен {name} пакетін жойыңыз, немесе ол қайтқанда хабар алу үшін қорғауды қосулы қалдырыңыз.',
    'advice-environment': 'Алдымен {file} ішінен {name} беретін жолды жойыңыз, әйтпесе бағдарламалар бұл жинақты әр жаңа сеанста қайта қолданады.',
    'advice-environment-unknown': '{name} қай жерде берілгенін тауып (кіру сценарийі, қызмет, басқаларды іске қосатын бағдарлама), алдымен оны алып тастаңыз, әйтпесе бағдарламалар бұл жинақты қолдана береді.',
    'advice-generated': 'Оны осы өзгерісте жүйелік сертификаттардан ({file}) да жойыңыз, әйтпесе {tool} оны қайтарады.',
    'advice-generated-unknown': 'Оны осы өзгерісте жүйелік сертификаттардан да жойыңыз, әйтпесе {tool} оны қайтарады.',
  },
})

/** The file as people find it: with the line that sets a variable (`~/.profile:12`). */
function where(placed: PlacedBy): string {
  return placed.line !== undefined && placed.file ? `${placed.file}:${placed.line}` : (placed.file ?? '')
}

/** What put it there, as a notice. */
export function placedNotice(placed: PlacedBy): Notice {
  const values = { name: placed.name ?? '', file: where(placed), tool: placed.tool ?? '' }
  const n = placedByNotices.notice
  switch (placed.by) {
    case 'policy':
      return n(placed.file ? (placed.profile ? 'placed-policy-profile' : 'placed-policy') : 'placed-policy-unnamed', values)
    case 'package':
      return n('placed-package', values)
    case 'environment':
      return n(placed.file ? 'placed-environment' : 'placed-environment-unknown', values)
    case 'generated':
      return n(placed.file ? 'placed-generated' : 'placed-generated-unknown', values)
    default:
      return n('placed-hand')
  }
}

/** Whether it comes back, as a notice. */
export function comesBackNotice(placed: PlacedBy): Notice {
  const values = { name: placed.name ?? '', tool: placed.tool ?? '' }
  const n = placedByNotices.notice
  if (!placed.comesBack) return n('back-none')
  switch (placed.by) {
    case 'policy':
      return n('back-policy')
    case 'package':
      return n('back-package', values)
    case 'environment':
      return n('back-environment', values)
    case 'generated':
      return n('back-generated', values)
    default:
      return n('back-none')
  }
}

/** The plan's advice for a place whose cause puts the certificate back: remove that cause first, named; null when nothing does. */
export function adviceNotice(placed: PlacedBy): Notice | null {
  if (!placed.comesBack) return null
  const values = { name: placed.name ?? '', file: where(placed), tool: placed.tool ?? '' }
  const n = placedByNotices.notice
  switch (placed.by) {
    case 'policy':
      return n(placed.file ? 'advice-policy' : 'advice-policy-unnamed', values)
    case 'package':
      return n('advice-package', values)
    case 'environment':
      return n(placed.file ? 'advice-environment' : 'advice-environment-unknown', values)
    case 'generated':
      return n(placed.file ? 'advice-generated' : 'advice-generated-unknown', values)
    default:
      return null
  }
}

/** "Put there by …. It will come back until …." in `language`. */
export function placedByText(placed: PlacedBy, language: Language = 'en'): string {
  return `${noticeText(placedNotice(placed), language)} ${noticeText(comesBackNotice(placed), language)}`
}
