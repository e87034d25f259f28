import { defineNotices } from '../shared/notices.js'

/** Firefox's certificate manager, as its menus are named in each language. */
export const FIREFOX_MANAGER = {
  en: 'Settings → Privacy & Security → Certificates → View Certificates → Authorities',
  ru: 'Настройки → Приватность и защита → Сертификаты → Просмотр сертификатов → Центры сертификации (в английской версии: Settings → Privacy & Security → Certificates → View Certificates → Authorities)',
  kk: 'Баптаулар → Жекелік және қауіпсіздік → Сертификаттар → Сертификаттарды қарау → Куәландыру орталықтары (ағылшынша нұсқада: Settings → Privacy & Security → Certificates → View Certificates → Authorities)',
}

/** What the nss store tells people before a change, in every language. */
export const nssNotices = defineNotices({
  en: {
    'nss-confined': 'CertAudit will not change this database: {reason}',
    'nss-install-certutil': 'Install {package} (certutil) so CertAudit can change this database, or change it by hand in {program}: {firefoxMenu}.',
    'nss-program-running': '{program} is running with this profile: close it before removing, or the change may not take effect until it restarts.',
    'firefox-on-windows': 'Remove this certificate from the Firefox profile {location} in Firefox itself: {firefoxMenu}, select it, then "Delete or Distrust…". CertAudit changes Firefox profiles only where NSS\'s certutil is available, and on Windows that name belongs to Windows\' own certificate tool.',
  },
  ru: {
    'nss-confined': 'CertAudit не будет изменять эту базу: {reason}',
    'nss-install-certutil': 'Установите {package} (certutil), чтобы CertAudit мог изменить эту базу, или измените её вручную в {program}: {firefoxMenu}.',
    'nss-program-running': '{program} запущен с этим профилем: закройте его перед удалением, иначе изменение может вступить в силу только после перезапуска.',
    'firefox-on-windows': 'Удалите этот сертификат из профиля Firefox {location} в самом Firefox: {firefoxMenu}, выберите его и нажмите «Удалить или не доверять…». CertAudit изменяет профили Firefox только там, где есть certutil из NSS, а в Windows это имя занято собственной программой Windows для сертификатов.',
  },
  kk: {
    'nss-confined': 'CertAudit бұл дерекқорды өзгертпейді: {reason}',
    'nss-install-certutil': 'CertAudit бұл дерекқорды өзгерте алуы үшін {package} (certutil) орнатыңыз немесе оны {program} ішінде қолмен өзгертіңіз: {firefoxMenu}.',
    'nss-program-running': '{program} осы профильмен ашық тұр: жоймас бұрын оны жабыңыз, әйтпесе өзгеріс тек қайта іске қосқаннан кейін күшіне енуі мүмкін.',
    'firefox-on-windows': 'Бұл сертификатты {location} Firefox профилінен Firefox-тың өзінде жойыңыз: {firefoxMenu}, оны таңдап, «Жою немесе сенбеу…» батырмасын басыңыз. CertAudit Firefox профильдерін тек NSS certutil бар жерде өзгертеді, ал Windows-та бұл атау Windows-тың өз сертификат құралына тиесілі.',
  },
}, { words: { firefoxMenu: FIREFOX_MANAGER } })
