import { defineNotices } from '../shared/notices.js'

/** Keychain Access, as people find it in each language. */
const KEYCHAIN_ACCESS = {
  en: 'Keychain Access (Applications → Utilities): find the certificate, open it, and under "Trust" choose "Never Trust", or delete it',
  ru: 'программой «Связка ключей» (Программы → Утилиты): найдите сертификат, откройте его и в разделе «Доверие» выберите «Никогда не доверять» или удалите его',
  kk: '«Кілттер байламы» (Keychain Access) бағдарламасымен (Бағдарламалар → Утилиталар): сертификатты тауып, ашыңыз да, «Сенім» бөлімінде «Ешқашан сенбеу» тармағын таңдаңыз немесе оны жойыңыз',
}

/** A trust settings domain, said in each language. */
const DOMAIN = {
  en: { user: 'user', admin: 'admin' },
  ru: { user: 'пользователя', admin: 'администратора' },
  kk: { user: 'пайдаланушы', admin: 'әкімші' },
}

/** What the macos store tells people before a change, in every language. */
export const macosNotices = defineNotices({
  en: {
    'macos-other-keychain': 'This certificate is in a keychain CertAudit does not change ({location}). Remove it with {keychainAccess}.',
    'macos-limited-settings': 'This certificate has {domain} trust settings (limited to some applications, hosts or uses) that CertAudit could not put back exactly after a change, so it leaves them alone. Change it with {keychainAccess}.',
    'macos-settings-unreadable': '{reason} Without them CertAudit cannot undo a change, so change it with {keychainAccess}.',
    'macos-system-roots': 'macOS protects its built-in roots, so this one is distrusted for every user of this Mac instead of deleted.',
    'macos-password': 'macOS asks for your password to change your own trust settings.',
  },
  ru: {
    'macos-other-keychain': 'Этот сертификат лежит в связке ключей, которую CertAudit не изменяет ({location}). Удалите его {keychainAccess}.',
    'macos-limited-settings': 'У этого сертификата есть настройки доверия ({domain}), ограниченные некоторыми программами, узлами или назначениями, — CertAudit не сможет вернуть их в точности после изменения, поэтому не трогает их. Измените его {keychainAccess}.',
    'macos-settings-unreadable': '{reason} Без них CertAudit не сможет отменить изменение, поэтому измените сертификат {keychainAccess}.',
    'macos-system-roots': 'macOS защищает встроенные корневые сертификаты, поэтому доверие к этому будет отозвано для всех пользователей этого Mac, а не удалено.',
    'macos-password': 'macOS запросит ваш пароль, чтобы изменить ваши собственные настройки доверия.',
  },
  kk: {
    'macos-other-keychain': 'Бұл сертификат CertAudit өзгертпейтін кілттер байламында тұр ({location}). Оны қолмен өзгертіңіз — {keychainAccess}.',
    'macos-limited-settings': 'Бұл сертификаттың кейбір бағдарламалармен, хосттармен немесе мақсаттармен шектелген сенім баптаулары ({domain}) бар — CertAudit өзгерістен кейін оларды дәл қайтара алмайды, сондықтан оларға тимейді. Оны қолмен өзгертіңіз — {keychainAccess}.',
    'macos-settings-unreadable': '{reason} Оларсыз CertAudit өзгерісті болдырмай алмайды, сондықтан сертификатты қолмен өзгертіңіз — {keychainAccess}.',
    'macos-system-roots': 'macOS кірістірілген түбірлік сертификаттарды қорғайды, сондықтан бұл сертификат жойылмайды, оның орнына осы Mac-тың барлық пайдаланушылары үшін сенім алынады.',
    'macos-password': 'Өз сенім баптауларыңызды өзгерту үшін macOS құпиясөзіңізді сұрайды.',
  },
}, { words: { keychainAccess: KEYCHAIN_ACCESS }, valueWords: { domain: DOMAIN } })
