import { defineNotices } from '../shared/notices.js'

/** What the env-bundle store tells people before a change, in every language. */
export const envBundleNotices = defineNotices({
  en: {
    'env-bundle': '{location} is a bundle that an environment variable or a git setting points programs at. CertAudit does not edit it: remove this certificate from that file, or stop pointing programs at it (unset the variable, or remove the git setting).',
  },
  ru: {
    'env-bundle': '{location} — набор сертификатов, на который программы направляет переменная окружения или настройка git. CertAudit его не изменяет: удалите сертификат из этого файла или перестаньте направлять на него программы (удалите переменную или настройку git).',
  },
  kk: {
    'env-bundle': '{location} — ортаның айнымалысы немесе git баптауы бағдарламаларды бағыттайтын сертификаттар жинағы. CertAudit оны өзгертпейді: сертификатты сол файлдан жойыңыз немесе бағдарламаларды оған бағыттауды тоқтатыңыз (айнымалыны немесе git баптауын алып тастаңыз).',
  },
})
