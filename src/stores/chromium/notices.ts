import { defineNotices } from '../shared/notices.js'

/**
 * The browser's own certificate manager (Chrome 131+), as its pages are named in each language.
 * Every Chromium-family browser opens it at chrome://certificate-manager (Edge shows it as edge://…).
 */
export const CERTIFICATE_MANAGER = {
  en: 'chrome://certificate-manager → Local certificates → Installed by you',
  ru: 'chrome://certificate-manager → Локальные сертификаты → Установленные вами (в английской версии: Local certificates → Installed by you)',
  kk: 'chrome://certificate-manager → Жергілікті сертификаттар → Сіз орнатқандар (ағылшынша нұсқада: Local certificates → Installed by you)',
}

/** What the chromium store tells people before a change, in every language. */
export const chromiumNotices = defineNotices(
  {
    en: {
      'chromium-program-running':
        '{program} is open with this profile ({lock}): close it (every window) and check again. CertAudit does not change the browser’s certificates while it is open: it would go on trusting the certificate, and could write over the change.',
      'chromium-unusual-row': '“{entry}” in {location} was not stored the way the browser stores certificates, so CertAudit does not change it. Remove it in {program}: open {manager}.',
      'chromium-not-writable': 'CertAudit cannot change {location}: this user may not write to it. Remove the certificate in {program} itself, signed in as that profile’s owner: open {manager}.',
    },
    ru: {
      'chromium-program-running':
        '{program} открыт с этим профилем ({lock}): закройте его (все окна) и проверьте ещё раз. CertAudit не меняет сертификаты браузера, пока он открыт: браузер продолжал бы доверять сертификату и мог бы перезаписать изменение.',
      'chromium-unusual-row': '«{entry}» в {location} хранится не так, как браузер хранит сертификаты, поэтому CertAudit его не меняет. Удалите его в {program}: откройте {manager}.',
      'chromium-not-writable': 'CertAudit не может изменить {location}: этому пользователю запрещена запись. Удалите сертификат в самом {program}, войдя как владелец профиля: откройте {manager}.',
    },
    kk: {
      'chromium-program-running':
        '{program} осы профильмен ашық тұр ({lock}): оны жабыңыз (барлық терезесін) және қайта тексеріңіз. CertAudit браузер ашық тұрғанда оның сертификаттарын өзгертпейді: браузер сертификатқа сенуін жалғастырып, өзгерісті қайта жазып жіберуі мүмкін.',
      'chromium-unusual-row': '{location} ішіндегі «{entry}» браузер сертификаттарды сақтайтындай сақталмаған, сондықтан CertAudit оны өзгертпейді. Оны {program} ішінде жойыңыз: {manager} ашыңыз.',
      'chromium-not-writable': 'CertAudit {location} файлын өзгерте алмайды: бұл пайдаланушыға жазуға рұқсат жоқ. Сертификатты {program} ішінде профиль иесі ретінде кіріп жойыңыз: {manager} ашыңыз.',
    },
  },
  { words: { manager: CERTIFICATE_MANAGER } },
)
