import type { Language } from '../../audit/blocklist.js'

/**
 * What a store tells the user before a change (Capabilities: what to do by hand, warnings): a code
 * and its values, put into words in the user's language where it is shown (the removal plan), so a
 * Russian or Kazakh user reads the wizard's most important step in their own language. Messages of
 * errors and command output stay English (they are quoted to IT staff and in bug reports).
 *
 * `{name}` in a text is replaced by the notice's value of that name; every language's text uses
 * exactly the names the English one does (tests/stores/shared/notices.test.ts).
 */
const EN = {
  'manual-default': 'CertAudit cannot change this store; remove the certificate by hand.',
  'mode-fallback-delete': 'This store cannot {mode} a certificate; it will be deleted (a backup is kept) instead.',
  'mode-fallback-distrust': 'This store cannot {mode} a certificate; it will be distrusted instead.',
  // NSS: Firefox, Thunderbird, Chromium on Linux
  'nss-install-certutil': 'Install {package} (certutil) so CertAudit can change this database, or change it by hand in {program}: {firefoxMenu}.',
  'nss-program-running': '{program} is running with this profile: close it before removing, or the change may not take effect until it restarts.',
  'firefox-on-windows':
    'Remove this certificate from the Firefox profile {location} in Firefox itself: {firefoxMenu}, select it, then "Delete or Distrust…". CertAudit changes Firefox profiles only where NSS\'s certutil is available, and on Windows that name belongs to Windows\' own certificate tool.',
  'firefox-policy':
    'The Firefox policy file {location} installs this certificate into every profile each time Firefox starts, so removing it from profiles does not last. Remove it from "Certificates" → "Install" in that file (if your organisation manages it, ask them).',
  // Files CertAudit never edits
  'env-bundle':
    '{location} is a bundle that an environment variable or a git setting points programs at. CertAudit does not edit it: remove this certificate from that file, or stop pointing programs at it (unset the variable, or remove the git setting).',
  'named-file': '{location} was named on the command line; it is not a trust store, so there is nothing to remove it from.',
  // Linux system store
  'linux-unknown-store': '{store} is not a Linux system store CertAudit knows how to change.',
  'linux-bundle-only':
    'This certificate is in {bundle}, but in none of the files the bundle is built from: something added it to the bundle directly. Rebuilding the bundle drops it: run "{update}" on that system.',
  'linux-in-blocklist': '{file} is in a blocklist folder: this certificate is distrusted already.',
  'linux-outside-store': '{file} is not in a folder of the system store that CertAudit changes. Remove the certificate from it by hand, then run "{update}".',
  'linux-cut-by-hand': 'Remove this certificate\'s block from {file} by hand, then run "{update}".',
  'debian-conf-deselect':
    'Debian has no blocklist folder: delete and distrust both deselect {file} with a "!" in {conf}; the file itself belongs to the ca-certificates package and stays.',
  'debian-distrust-removes': 'Debian has no blocklist folder: distrusting a certificate from /usr/local/share/ca-certificates removes it, the same as deleting it.',
  'linux-others-cut': '{file} holds {count} other certificate(s): only this certificate is cut out of it; the others stay.',
  'linux-others-kept': '{file} holds {count} other certificate(s): they cannot be separated from this one, so the file is not deleted.',
  'linux-update-not-run':
    '"{update}" cannot be pointed at another system root ({root}), so it will not be run: the bundle {bundle} keeps the certificate until it runs on that system.',
  // Java
  'java-no-keytool': 'keytool, which comes with every JDK, is not installed here (or not on the PATH). With any JDK, run: {command}',
  'java-other-password': '{location} is protected by a password other than "{password}", which CertAudit does not know. Remove the entry with its password by hand: {command}',
  'java-private-key':
    '"{entry}" in {location} is a private key entry: deleting it would delete the key too, which no backup of the certificate can bring back. If you are sure, remove it yourself: {command}',
  'java-generated': '{location} is generated from the Linux system store: remove the certificate there too, or the next update of the system store puts it back here.',
  // Windows
  'windows-unknown-place':
    'Windows trusts this root, but CertAudit could not tell which certificate store holds it (a smart card, or a store it does not read). Look for it in certmgr.msc (this user) or certlm.msc (this computer) under "Trusted Root Certification Authorities".',
  'windows-managed':
    'Your organisation manages {place} ({manager}): Windows puts its certificates back at every policy refresh, so CertAudit does not change it. Ask your IT department to remove the certificate from the policy.',
  'windows-disallowed': '{place} is the list of certificates Windows refuses: this certificate is distrusted already.',
  'windows-uac': 'Windows asks for administrator rights (UAC) for this change.',
  'windows-confirm': 'Windows shows its own confirmation window for this change: choose "Yes".',
  'windows-authroot': "Windows' automatic root certificate update can bring back a deleted third-party root; distrusting it lasts.",
  // macOS
  'macos-other-keychain': 'This certificate is in a keychain CertAudit does not change ({location}). Remove it with {keychainAccess}.',
  'macos-limited-settings':
    'This certificate has {domain} trust settings (limited to some applications, hosts or uses) that CertAudit could not put back exactly after a change, so it leaves them alone. Change it with {keychainAccess}.',
  'macos-settings-unreadable': '{reason} Without them CertAudit cannot undo a change, so change it with {keychainAccess}.',
  'macos-system-roots': 'macOS protects its built-in roots, so this one is distrusted for every user of this Mac instead of deleted.',
  'macos-password': 'macOS asks for your password to change your own trust settings.',
} as const

export type NoticeCode = keyof typeof EN

export interface Notice {
  readonly code: NoticeCode
  readonly values?: Readonly<Record<string, string | number>>
}

export function isNotice(value: unknown): value is Notice {
  return typeof value === 'object' && value !== null && typeof (value as Notice).code === 'string' && (value as Notice).code in EN
}

export function notice(code: NoticeCode, values?: Readonly<Record<string, string | number>>): Notice {
  return values ? { code, values } : { code }
}

/** Values that are themselves words (menu paths, program names) in each language; the rest are paths and commands. */
const FIREFOX_MANAGER: Readonly<Record<Language, string>> = {
  en: 'Settings → Privacy & Security → Certificates → View Certificates → Authorities',
  ru: 'Настройки → Приватность и защита → Сертификаты → Просмотр сертификатов → Центры сертификации (в английской версии: Settings → Privacy & Security → Certificates → View Certificates → Authorities)',
  kk: 'Баптаулар → Жекелік және қауіпсіздік → Сертификаттар → Сертификаттарды қарау → Куәландыру орталықтары (ағылшынша нұсқада: Settings → Privacy & Security → Certificates → View Certificates → Authorities)',
}
const KEYCHAIN_ACCESS: Readonly<Record<Language, string>> = {
  en: 'Keychain Access (Applications → Utilities): find the certificate, open it, and under "Trust" choose "Never Trust", or delete it',
  ru: 'программой «Связка ключей» (Программы → Утилиты): найдите сертификат, откройте его и в разделе «Доверие» выберите «Никогда не доверять» или удалите его',
  kk: '«Кілттер байламы» (Keychain Access) бағдарламасымен (Бағдарламалар → Утилиталар): сертификатты тауып, ашыңыз да, «Сенім» бөлімінде «Ешқашан сенбеу» тармағын таңдаңыз немесе оны жойыңыз',
}
/** Values named by a word that each language says its own way. */
const WORDS: Readonly<Record<string, Readonly<Record<Language, string>>>> = {
  firefoxMenu: FIREFOX_MANAGER,
  keychainAccess: KEYCHAIN_ACCESS,
}

const RU: Readonly<Record<NoticeCode, string>> = {
  'manual-default': 'CertAudit не может изменить это хранилище; удалите сертификат вручную.',
  'mode-fallback-delete': 'Это хранилище не умеет {mode}; сертификат будет удалён (резервная копия сохраняется).',
  'mode-fallback-distrust': 'Это хранилище не умеет {mode}; вместо этого доверие к сертификату будет отозвано.',
  'nss-install-certutil': 'Установите {package} (certutil), чтобы CertAudit мог изменить эту базу, или измените её вручную в {program}: {firefoxMenu}.',
  'nss-program-running': '{program} запущен с этим профилем: закройте его перед удалением, иначе изменение может вступить в силу только после перезапуска.',
  'firefox-on-windows':
    'Удалите этот сертификат из профиля Firefox {location} в самом Firefox: {firefoxMenu}, выберите его и нажмите «Удалить или не доверять…». CertAudit изменяет профили Firefox только там, где есть certutil из NSS, а в Windows это имя занято собственной программой Windows для сертификатов.',
  'firefox-policy':
    'Файл политик Firefox {location} устанавливает этот сертификат во все профили при каждом запуске Firefox, поэтому удаление из профилей не поможет надолго. Удалите его из раздела «Certificates» → «Install» этого файла (если файлом управляет ваша организация, обратитесь к ней).',
  'env-bundle':
    '{location} — набор сертификатов, на который программы направляет переменная окружения или настройка git. CertAudit его не изменяет: удалите сертификат из этого файла или перестаньте направлять на него программы (удалите переменную или настройку git).',
  'named-file': '{location} указан в командной строке; это не хранилище доверия, удалять сертификат неоткуда.',
  'linux-unknown-store': '{store} — не то системное хранилище Linux, которое CertAudit умеет изменять.',
  'linux-bundle-only':
    'Этот сертификат есть в {bundle}, но ни в одном из файлов, из которых собирается этот набор: его добавили в набор напрямую. Пересборка набора убирает его: выполните «{update}» на этой системе.',
  'linux-in-blocklist': '{file} лежит в папке блок-листа: доверие к этому сертификату уже отозвано.',
  'linux-outside-store': '{file} не находится в папке системного хранилища, которую изменяет CertAudit. Удалите из него сертификат вручную, затем выполните «{update}».',
  'linux-cut-by-hand': 'Удалите блок этого сертификата из {file} вручную, затем выполните «{update}».',
  'debian-conf-deselect':
    'В Debian нет папки блок-листа: и удаление, и отзыв доверия отключают {file} знаком «!» в {conf}; сам файл принадлежит пакету ca-certificates и остаётся на месте.',
  'debian-distrust-removes': 'В Debian нет папки блок-листа: отзыв доверия к сертификату из /usr/local/share/ca-certificates удаляет его — так же, как удаление.',
  'linux-others-cut': 'В {file} есть и другие сертификаты ({count}): из файла вырезается только этот сертификат, остальные остаются.',
  'linux-others-kept': 'В {file} есть и другие сертификаты ({count}): их нельзя отделить от этого, поэтому файл не удаляется.',
  'linux-update-not-run':
    '«{update}» нельзя направить на другой корень системы ({root}), поэтому команда не будет выполнена: набор {bundle} сохранит сертификат, пока она не будет выполнена на той системе.',
  'java-no-keytool': 'keytool, входящий в любой JDK, здесь не установлен (или его нет в PATH). С любым JDK выполните: {command}',
  'java-other-password': '{location} защищён паролем, отличным от «{password}», и CertAudit его не знает. Удалите запись вручную с этим паролем: {command}',
  'java-private-key':
    '«{entry}» в {location} — запись с закрытым ключом: её удаление удалит и ключ, а резервная копия сертификата его не вернёт. Если вы уверены, удалите её сами: {command}',
  'java-generated': '{location} создаётся из системного хранилища Linux: удалите сертификат и там, иначе следующее обновление системного хранилища вернёт его сюда.',
  'windows-unknown-place':
    'Windows доверяет этому корневому сертификату, но CertAudit не смог определить, в каком хранилище он лежит (смарт-карта или хранилище, которое он не читает). Найдите его в certmgr.msc (этот пользователь) или certlm.msc (этот компьютер) в разделе «Доверенные корневые центры сертификации».',
  'windows-managed':
    'Хранилищем {place} управляет ваша организация ({manager}): Windows возвращает его сертификаты при каждом обновлении политики, поэтому CertAudit его не изменяет. Попросите ваш ИТ-отдел убрать сертификат из политики.',
  'windows-disallowed': '{place} — список сертификатов, которые Windows отвергает: доверие к этому сертификату уже отозвано.',
  'windows-uac': 'Для этого изменения Windows запросит права администратора (UAC).',
  'windows-confirm': 'Windows покажет собственное окно подтверждения: выберите «Да».',
  'windows-authroot': 'Автоматическое обновление корневых сертификатов Windows может вернуть удалённый сторонний корневой сертификат; отзыв доверия сохраняется.',
  'macos-other-keychain': 'Этот сертификат лежит в связке ключей, которую CertAudit не изменяет ({location}). Удалите его {keychainAccess}.',
  'macos-limited-settings':
    'У этого сертификата есть настройки доверия ({domain}), ограниченные некоторыми программами, узлами или назначениями, — CertAudit не сможет вернуть их в точности после изменения, поэтому не трогает их. Измените его {keychainAccess}.',
  'macos-settings-unreadable': '{reason} Без них CertAudit не сможет отменить изменение, поэтому измените сертификат {keychainAccess}.',
  'macos-system-roots': 'macOS защищает встроенные корневые сертификаты, поэтому доверие к этому будет отозвано для всех пользователей этого Mac, а не удалено.',
  'macos-password': 'macOS запросит ваш пароль, чтобы изменить ваши собственные настройки доверия.',
}

const KK: Readonly<Record<NoticeCode, string>> = {
  'manual-default': 'CertAudit бұл қойманы өзгерте алмайды; сертификатты қолмен жойыңыз.',
  'mode-fallback-delete': 'Бұл қойма {mode} әрекетін орындай алмайды; оның орнына сертификат жойылады (сақтық көшірмесі сақталады).',
  'mode-fallback-distrust': 'Бұл қойма {mode} әрекетін орындай алмайды; оның орнына сертификатқа сенім алынады.',
  'nss-install-certutil': 'CertAudit бұл дерекқорды өзгерте алуы үшін {package} (certutil) орнатыңыз немесе оны {program} ішінде қолмен өзгертіңіз: {firefoxMenu}.',
  'nss-program-running': '{program} осы профильмен ашық тұр: жоймас бұрын оны жабыңыз, әйтпесе өзгеріс тек қайта іске қосқаннан кейін күшіне енуі мүмкін.',
  'firefox-on-windows':
    'Бұл сертификатты {location} Firefox профилінен Firefox-тың өзінде жойыңыз: {firefoxMenu}, оны таңдап, «Жою немесе сенбеу…» батырмасын басыңыз. CertAudit Firefox профильдерін тек NSS certutil бар жерде өзгертеді, ал Windows-та бұл атау Windows-тың өз сертификат құралына тиесілі.',
  'firefox-policy':
    '{location} Firefox саясат файлы Firefox әр іске қосылған сайын бұл сертификатты барлық профильге орнатады, сондықтан оны профильдерден жою ұзаққа бармайды. Оны сол файлдағы «Certificates» → «Install» бөлімінен алып тастаңыз (файлды ұйымыңыз басқарса, соларға жүгініңіз).',
  'env-bundle':
    '{location} — ортаның айнымалысы немесе git баптауы бағдарламаларды бағыттайтын сертификаттар жинағы. CertAudit оны өзгертпейді: сертификатты сол файлдан жойыңыз немесе бағдарламаларды оған бағыттауды тоқтатыңыз (айнымалыны немесе git баптауын алып тастаңыз).',
  'named-file': '{location} командалық жолда аталған; бұл сенім қоймасы емес, сондықтан сертификатты жоятын жер жоқ.',
  'linux-unknown-store': '{store} — CertAudit өзгерте алатын Linux жүйелік қоймасы емес.',
  'linux-bundle-only':
    'Бұл сертификат {bundle} ішінде бар, бірақ жинақ құрастырылатын файлдардың ешқайсысында жоқ: оны жинаққа тікелей қосқан. Жинақты қайта құрастыру оны алып тастайды: сол жүйеде «{update}» орындаңыз.',
  'linux-in-blocklist': '{file} блоктізім қалтасында тұр: бұл сертификатқа сенім алынып қойған.',
  'linux-outside-store': '{file} CertAudit өзгертетін жүйелік қойма қалтасында емес. Сертификатты одан қолмен жойып, содан кейін «{update}» орындаңыз.',
  'linux-cut-by-hand': 'Бұл сертификаттың блогын {file} ішінен қолмен жойып, содан кейін «{update}» орындаңыз.',
  'debian-conf-deselect':
    'Debian-да блоктізім қалтасы жоқ: жою да, сенімді алу да {file} файлын {conf} ішінде «!» белгісімен өшіреді; файлдың өзі ca-certificates пакетіне тиесілі және орнында қалады.',
  'debian-distrust-removes': 'Debian-да блоктізім қалтасы жоқ: /usr/local/share/ca-certificates ішіндегі сертификатқа сенімді алу оны жояды — жою сияқты.',
  'linux-others-cut': '{file} ішінде басқа сертификаттар да бар ({count}): файлдан тек осы сертификат қиылып алынады, қалғандары қалады.',
  'linux-others-kept': '{file} ішінде басқа сертификаттар да бар ({count}): оларды бұдан бөлу мүмкін емес, сондықтан файл жойылмайды.',
  'linux-update-not-run':
    '«{update}» командасын басқа жүйе түбіріне ({root}) бағыттау мүмкін емес, сондықтан ол орындалмайды: {bundle} жинағы сол жүйеде команда орындалғанша сертификатты сақтайды.',
  'java-no-keytool': 'Әр JDK құрамындағы keytool мұнда орнатылмаған (немесе PATH ішінде жоқ). Кез келген JDK арқылы орындаңыз: {command}',
  'java-other-password': '{location} «{password}» емес басқа құпиясөзбен қорғалған, оны CertAudit білмейді. Жазбаны сол құпиясөзбен қолмен жойыңыз: {command}',
  'java-private-key':
    '{location} ішіндегі «{entry}» — жабық кілті бар жазба: оны жою кілтті де жояды, ал сертификаттың сақтық көшірмесі оны қайтара алмайды. Сенімді болсаңыз, өзіңіз жойыңыз: {command}',
  'java-generated': '{location} Linux жүйелік қоймасынан жасалады: сертификатты сол жерден де жойыңыз, әйтпесе жүйелік қойманың келесі жаңартуы оны мұнда қайтарады.',
  'windows-unknown-place':
    'Windows бұл түбірлік сертификатқа сенеді, бірақ CertAudit оның қай қоймада тұрғанын анықтай алмады (смарт-карта немесе ол оқымайтын қойма). Оны certmgr.msc (осы пайдаланушы) немесе certlm.msc (осы компьютер) ішінде «Сенімді түбірлік сертификаттау орталықтары» бөлімінен іздеңіз.',
  'windows-managed':
    '{place} қоймасын ұйымыңыз басқарады ({manager}): Windows саясат жаңарған сайын оның сертификаттарын қайтарады, сондықтан CertAudit оны өзгертпейді. Сертификатты саясаттан алып тастауды IT бөліміңізден сұраңыз.',
  'windows-disallowed': '{place} — Windows қабылдамайтын сертификаттар тізімі: бұл сертификатқа сенім алынып қойған.',
  'windows-uac': 'Бұл өзгеріс үшін Windows әкімші құқықтарын (UAC) сұрайды.',
  'windows-confirm': 'Windows өзінің растау терезесін көрсетеді: «Иә» батырмасын таңдаңыз.',
  'windows-authroot': 'Windows түбірлік сертификаттарды автоматты жаңартуы жойылған үшінші тарап түбірлік сертификатын қайтаруы мүмкін; сенімді алу сақталады.',
  'macos-other-keychain': 'Бұл сертификат CertAudit өзгертпейтін кілттер байламында тұр ({location}). Оны қолмен өзгертіңіз — {keychainAccess}.',
  'macos-limited-settings':
    'Бұл сертификаттың кейбір бағдарламалармен, хосттармен немесе мақсаттармен шектелген сенім баптаулары ({domain}) бар — CertAudit өзгерістен кейін оларды дәл қайтара алмайды, сондықтан оларға тимейді. Оны қолмен өзгертіңіз — {keychainAccess}.',
  'macos-settings-unreadable': '{reason} Оларсыз CertAudit өзгерісті болдырмай алмайды, сондықтан сертификатты қолмен өзгертіңіз — {keychainAccess}.',
  'macos-system-roots': 'macOS кірістірілген түбірлік сертификаттарды қорғайды, сондықтан бұл сертификат жойылмайды, оның орнына осы Mac-тың барлық пайдаланушылары үшін сенім алынады.',
  'macos-password': 'Өз сенім баптауларыңызды өзгерту үшін macOS құпиясөзіңізді сұрайды.',
}

export const NOTICE_TEXTS: Readonly<Record<Language, Readonly<Record<NoticeCode, string>>>> = { en: EN, ru: RU, kk: KK }

/** Values that are words (a mode, a macOS trust domain), said in each language. */
const VALUE_WORDS: Readonly<Record<string, Readonly<Record<Language, Readonly<Record<string, string>>>>>> = {
  mode: {
    en: { delete: 'delete', distrust: 'distrust' },
    ru: { delete: 'удалять сертификаты', distrust: 'отзывать доверие к сертификатам' },
    kk: { delete: 'жою', distrust: 'сенімді алу' },
  },
  domain: {
    en: { user: 'user', admin: 'admin' },
    ru: { user: 'пользователя', admin: 'администратора' },
    kk: { user: 'пайдаланушы', admin: 'әкімші' },
  },
}

/** The notice in words, in `language`. */
export function noticeText(item: Notice, language: Language = 'en'): string {
  return NOTICE_TEXTS[language][item.code].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const word = WORDS[name]
    if (word) return word[language]
    const value = item.values?.[name]
    if (value === undefined) return whole
    return VALUE_WORDS[name]?.[language][String(value)] ?? String(value)
  })
}

/** Several notices as one paragraph. */
export function noticesText(items: readonly Notice[], language: Language = 'en'): string {
  return items.map((item) => noticeText(item, language)).join(' ')
}
