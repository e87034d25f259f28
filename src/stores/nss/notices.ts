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
    'nss-shared-needs-certutil': 'CertAudit changes the computer’s shared NSS database ({location}) only with NSS’s own certutil, which is not installed here: install it (libnss3-tools on Debian and Ubuntu, nss-tools on Fedora), then make the plan again.',
    'nss-confined': 'CertAudit will not change this database: {reason}',
    'nss-program-running': '{program} is running with this profile: close it before removing, or the change may not take effect until it restarts.',
    'nss-direct-program-running': '{program} has this profile open ({lock}): close {program}, then run the change. CertAudit does not change a certificate database while {program} uses it.',
    'nss-by-hand': 'CertAudit cannot change this certificate in {location}: {reason} Remove it in {program} itself: {firefoxMenu}, select it, then "Delete or Distrust…".',
    'nss-no-distrust': 'CertAudit cannot sign a change of trust in this profile (it has a Primary Password, or its key database is in an older form), so here it can only delete the certificate (a backup is kept). To distrust it instead, use {program}: {firefoxMenu}.',
  },
  ru: {
    'nss-shared-needs-certutil': 'Общую базу NSS этого компьютера ({location}) CertAudit изменяет только с помощью утилиты certutil из NSS, а она здесь не установлена: установите её (libnss3-tools в Debian и Ubuntu, nss-tools в Fedora) и составьте план заново.',
    'nss-confined': 'CertAudit не будет изменять эту базу: {reason}',
    'nss-program-running': '{program} запущен с этим профилем: закройте его перед удалением, иначе изменение может вступить в силу только после перезапуска.',
    'nss-direct-program-running': '{program} использует этот профиль ({lock}): закройте {program}, затем запустите изменение. CertAudit не изменяет базу сертификатов, пока {program} её использует.',
    'nss-by-hand': 'CertAudit не может изменить этот сертификат в {location}: {reason} Удалите его в самом {program}: {firefoxMenu}, выберите его и нажмите «Удалить или не доверять…».',
    'nss-no-distrust': 'CertAudit не может подписать изменение доверия в этом профиле (он защищён основным паролем или его база ключей в старом формате), поэтому здесь можно только удалить сертификат (резервная копия сохраняется). Чтобы вместо этого перестать ему доверять, используйте {program}: {firefoxMenu}.',
  },
  kk: {
    'nss-shared-needs-certutil': 'Компьютердің ортақ NSS базасын ({location}) CertAudit тек NSS-тің certutil құралымен өзгертеді, ал ол мұнда орнатылмаған: оны орнатыңыз (Debian мен Ubuntu-да libnss3-tools, Fedora-да nss-tools), содан кейін жоспарды қайта құрыңыз.',
    'nss-confined': 'CertAudit бұл дерекқорды өзгертпейді: {reason}',
    'nss-program-running': '{program} осы профильмен ашық тұр: жоймас бұрын оны жабыңыз, әйтпесе өзгеріс тек қайта іске қосқаннан кейін күшіне енуі мүмкін.',
    'nss-direct-program-running': '{program} осы профильді пайдаланып тұр ({lock}): {program} жабыңыз, содан кейін өзгерісті іске қосыңыз. CertAudit сертификаттар дерекқорын {program} пайдаланып тұрғанда өзгертпейді.',
    'nss-by-hand': 'CertAudit бұл сертификатты {location} ішінде өзгерте алмайды: {reason} Оны {program} өзінде жойыңыз: {firefoxMenu}, оны таңдап, «Жою немесе сенбеу…» батырмасын басыңыз.',
    'nss-no-distrust': 'CertAudit бұл профильдегі сенім өзгерісіне қол қоя алмайды (ол негізгі құпиясөзбен қорғалған немесе оның кілттер дерекқоры ескі пішімде), сондықтан мұнда сертификатты тек жоюға болады (сақтық көшірме сақталады). Оның орнына сенбеу үшін {program} пайдаланыңыз: {firefoxMenu}.',
  },
}, { words: { firefoxMenu: FIREFOX_MANAGER } })
