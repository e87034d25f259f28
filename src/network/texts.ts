import type { Language } from '../audit/blocklist.js'
import type { ChainWarning } from './chain-verdict.js'
import type { ProbeErrorCode } from './tls-probe.js'

/** The words of the connection check, for the CLI and the app's card. Every language has every key. */
export interface ConnectionTexts {
  readonly ok: (host: string, ca: string) => string
  readonly intercepted: (host: string, ca: string) => string
  readonly onBlocklist: (name: string) => string
  /** A certificate named like a listed one but with another key: a re-issue, as in Kazakhstan 2020 and 2024. */
  readonly lookalike: (name: string) => string
  readonly unreachable: (host: string, reason: string) => string
  readonly reasons: Readonly<Record<ProbeErrorCode, (seconds: number) => string>>
  readonly warnings: Readonly<Record<ChainWarning, string>>
  readonly summary: {
    /** The plain instruction for an intercepted network: do not install the certificate. */
    readonly intercepted: string
    readonly ok: string
    readonly nothingReached: string
  }
  readonly labels: { readonly verdict: Readonly<Record<'ok' | 'intercepted' | 'unreachable', string>>; readonly chain: string }
}

const en: ConnectionTexts = {
  ok: (host, ca) => `${host}: the connection is secured by ${ca}, a public certificate authority.`,
  intercepted: (host, ca) =>
    `${host}: the connection is secured by "${ca}", which is not a public certificate authority. Whoever controls it can read and change everything you send to this site.`,
  onBlocklist: (name) => `It is on CertAudit's list of dangerous certificates: ${name}.`,
  lookalike: (name) => `It carries the name of a known interception certificate (${name}) with a new key: most likely a new issue of it.`,
  unreachable: (host, reason) => `${host}: not checked — ${reason}`,
  reasons: {
    'dns-failed': () => 'its address could not be found (DNS).',
    refused: () => 'the connection was refused.',
    timeout: (s) => `no answer within ${s} s.`,
    reset: () => 'the connection was cut during the secure handshake (some networks block sites this way).',
    'network-unreachable': () => 'it cannot be reached from this network.',
    'tls-failed': () => 'a secure connection could not be set up.',
    'no-certificate': () => 'it sent no certificate.',
    failed: () => 'the connection failed.',
  },
  warnings: {
    'name-mismatch': 'The certificate is not made out for this name: browsers would show a warning.',
    expired: 'The certificate is outside its validity dates: browsers would show a warning.',
    'unreadable-certificate': 'One certificate of the chain could not be fully read.',
  },
  summary: {
    intercepted:
      'This network intercepts secure connections. If you are asked to install a certificate (a "security certificate", "national certificate" or similar) to use the internet, do not install it: it would let whoever runs this network read your passwords and messages. If you have already installed one, run "certaudit scan" to find and remove it.',
    ok: 'No interception seen: every site that answered is secured by a public certificate authority.',
    nothingReached: 'No site could be reached, so nothing was checked. Check your internet connection and try again.',
  },
  labels: { verdict: { ok: 'OK', intercepted: 'INTERCEPTED', unreachable: 'NOT CHECKED' }, chain: 'Certificates presented (site first)' },
}

const ru: ConnectionTexts = {
  ok: (host, ca) => `${host}: соединение защищено публичным удостоверяющим центром ${ca}.`,
  intercepted: (host, ca) =>
    `${host}: соединение защищено сертификатом «${ca}», а это не публичный удостоверяющий центр. Тот, кто им управляет, может читать и изменять всё, что вы отправляете на этот сайт.`,
  onBlocklist: (name) => `Он есть в списке опасных сертификатов CertAudit: ${name}.`,
  lookalike: (name) => `Он носит имя известного сертификата для перехвата (${name}), но с новым ключом: скорее всего, это его новый выпуск.`,
  unreachable: (host, reason) => `${host}: не проверен — ${reason}`,
  reasons: {
    'dns-failed': () => 'не удалось найти адрес сайта (DNS).',
    refused: () => 'в соединении отказано.',
    timeout: (s) => `нет ответа за ${s} с.`,
    reset: () => 'соединение оборвалось во время установки защищённого соединения (так некоторые сети блокируют сайты).',
    'network-unreachable': () => 'сайт недоступен из этой сети.',
    'tls-failed': () => 'не удалось установить защищённое соединение.',
    'no-certificate': () => 'сайт не прислал сертификат.',
    failed: () => 'соединение не удалось.',
  },
  warnings: {
    'name-mismatch': 'Сертификат выдан не на это имя: браузер покажет предупреждение.',
    expired: 'Сертификат вне срока действия: браузер покажет предупреждение.',
    'unreadable-certificate': 'Один из сертификатов цепочки не удалось прочитать полностью.',
  },
  summary: {
    intercepted:
      'Эта сеть перехватывает защищённые соединения. Если для выхода в интернет вас просят установить сертификат («сертификат безопасности», «национальный сертификат» и т. п.), не устанавливайте его: с ним владельцы этой сети смогут читать ваши пароли и переписку. Если вы уже установили такой сертификат, запустите «certaudit scan», чтобы найти и удалить его.',
    ok: 'Перехвата не видно: все ответившие сайты защищены публичными удостоверяющими центрами.',
    nothingReached: 'Ни один сайт не ответил, поэтому ничего не проверено. Проверьте подключение к интернету и попробуйте снова.',
  },
  labels: { verdict: { ok: 'ПОРЯДОК', intercepted: 'ПЕРЕХВАТ', unreachable: 'НЕ ПРОВЕРЕН' }, chain: 'Предъявленные сертификаты (сначала сертификат сайта)' },
}

const kk: ConnectionTexts = {
  ok: (host, ca) => `${host}: байланысты жалпыға ортақ куәландырушы орталық ${ca} қорғайды.`,
  intercepted: (host, ca) =>
    `${host}: байланысты «${ca}» сертификаты қорғайды, ал ол жалпыға ортақ куәландырушы орталық емес. Оны басқаратын адам осы сайтқа жіберетін барлық деректеріңізді оқи және өзгерте алады.`,
  onBlocklist: (name) => `Ол CertAudit-тің қауіпті сертификаттар тізімінде бар: ${name}.`,
  lookalike: (name) => `Оның атауы трафикті ұстап алуға арналған белгілі сертификаттың атауымен бірдей (${name}), бірақ кілті жаңа: бұл, сірә, оның жаңа шығарылымы.`,
  unreachable: (host, reason) => `${host}: тексерілмеді — ${reason}`,
  reasons: {
    'dns-failed': () => 'сайттың мекенжайы табылмады (DNS).',
    refused: () => 'қосылудан бас тартылды.',
    timeout: (s) => `${s} секунд ішінде жауап болмады.`,
    reset: () => 'қорғалған қосылым орнатылып жатқанда байланыс үзілді (кейбір желілер сайттарды осылай бұғаттайды).',
    'network-unreachable': () => 'сайтқа бұл желіден қол жеткізу мүмкін емес.',
    'tls-failed': () => 'қорғалған қосылым орнатылмады.',
    'no-certificate': () => 'сайт сертификат жібермеді.',
    failed: () => 'қосылу сәтсіз аяқталды.',
  },
  warnings: {
    'name-mismatch': 'Сертификат бұл атауға берілмеген: браузер ескерту көрсетеді.',
    expired: 'Сертификаттың жарамдылық мерзімі өтіп кеткен немесе әлі басталмаған: браузер ескерту көрсетеді.',
    'unreadable-certificate': 'Тізбектегі сертификаттардың бірі толық оқылмады.',
  },
  summary: {
    intercepted:
      'Бұл желі қорғалған байланыстарды ұстап алады. Интернетке шығу үшін сізден сертификат («қауіпсіздік сертификаты», «ұлттық сертификат» т.б.) орнату сұралса, оны орнатпаңыз: ол арқылы осы желіні басқаратындар құпиясөздеріңіз бен хаттарыңызды оқи алады. Мұндай сертификатты орнатып қойған болсаңыз, оны табу және жою үшін «certaudit scan» іске қосыңыз.',
    ok: 'Ұстап алу байқалмады: жауап берген барлық сайтты жалпыға ортақ куәландырушы орталықтар қорғайды.',
    nothingReached: 'Бірде-бір сайт жауап бермеді, сондықтан ештеңе тексерілмеді. Интернет байланысын тексеріп, қайталап көріңіз.',
  },
  labels: { verdict: { ok: 'ҚАЛЫПТЫ', intercepted: 'ҰСТАЛЫП ЖАТЫР', unreachable: 'ТЕКСЕРІЛМЕДІ' }, chain: 'Ұсынылған сертификаттар (алдымен сайттың сертификаты)' },
}

const TEXTS: Readonly<Record<Language, ConnectionTexts>> = { en, ru, kk }

export function connectionTexts(language: Language): ConnectionTexts {
  return TEXTS[language]
}
