import type { Language } from './blocklist.js'
import type { DisguiseKind, NameDisguise, ScriptName } from './name-disguise.js'

/**
 * The engine's own words: verdicts and the explanations of rules that are not tied to one blocklist
 * entry. Entry-specific texts live in the blocklist itself. Every language must have every key: the
 * `Texts` type makes a missing one a compile error.
 */
export interface Texts {
  readonly verdict: {
    readonly critical: string
    readonly high: string
    /** High because a certificate copies the name of one used to intercept traffic (browsers do not block the copy). */
    readonly highCopy: string
    readonly medium: string
    readonly review: (count: number) => string
    readonly clean: string
    readonly nothingScanned: string
    /** Nothing dangerous in what was read, but `count` places (stores, files) could not be read in full. */
    readonly incomplete: (count: number) => string
    /** Added to any other verdict when `count` places could not be read in full. */
    readonly uncheckedPlaces: (count: number) => string
  }
  readonly lookalike: { readonly explanation: (name: string) => string; readonly advice: string }
  /** A name that imitates a listed CA's name in disguise (name-disguise.ts); the advice is lookalike's. */
  readonly disguisedName: {
    readonly explanation: (name: string, imitated: 'interception' | 'state-ca', differences: string) => string
    /** One difference; `scripts` and `realScripts` are already names joined for 'script'. */
    readonly difference: (kind: DisguiseKind, scripts: string, realScripts: string) => string
    readonly scriptName: Readonly<Record<ScriptName, string>>
    readonly and: string
  }
  readonly governmentCaByName: { readonly explanation: (name: string) => string; readonly advice: string }
  readonly unknownRoot: { readonly explanation: string; readonly advice: string }
  /** An unknown root that its own name constraints limit to some names (a careful company setup). */
  readonly unknownRootLimited: { readonly explanation: (names: string) => string; readonly advice: string }
  readonly retiredRoot: { readonly explanation: string; readonly advice: string }
  readonly expired: { readonly explanation: (date: string) => string; readonly advice: string }
  readonly weakKey: { readonly explanation: (algorithm: string, bits: number) => string; readonly advice: string }
  readonly weakSignature: { readonly explanation: (algorithm: string) => string; readonly advice: string }
  readonly distrustedEverywhere: string
  readonly sameKey: string
  /** Opens the explanation of a certificate issued by a listed CA; the CA's own explanation follows. */
  readonly issuedBy: (ca: string, proof: 'signature' | 'key-id') => string
}

/** "место" after a number, as Russian needs it: 1 место, 2 места, 5 мест, 21 место, 11 мест. */
function placesRu(n: number): string {
  const tens = n % 100
  const ones = n % 10
  if (tens >= 11 && tens <= 14) return 'мест'
  return ones === 1 ? 'место' : ones >= 2 && ones <= 4 ? 'места' : 'мест'
}

const en: Texts = {
  verdict: {
    critical: 'A certificate that lets a third party read your secure connections is installed on this computer.',
    high: 'A certificate that browsers block as dangerous is installed on this computer.',
    highCopy: 'A copy of a certificate used to read people’s secure connections is installed on this computer.',
    medium: 'A state certificate authority that is not part of the public root programs is installed on this computer. Read what it means before you decide.',
    review: (n) =>
      `No interception certificates found. ${n === 1 ? '1 certificate is' : `${n} certificates are`} not from the public root programs and worth a look.`,
    clean: 'No interception certificates found.',
    nothingScanned: 'Nothing could be scanned, so there is no verdict. See the problems below.',
    incomplete: (n) =>
      `No dangerous certificate was found in what could be read, but ${n === 1 ? '1 place' : `${n} places`} could not be checked in full, so this is not an all-clear. See the problems below.`,
    uncheckedPlaces: (n) => `${n === 1 ? '1 place' : `${n} places`} could not be checked in full: see the problems below.`,
  },
  lookalike: {
    explanation: (name) =>
      `This certificate carries the name of ${name}, a certificate used to intercept internet traffic, but with a different key. It is most likely a new copy made for the next round of interception.`,
    advice: 'Remove it. Do not install certificates that your internet provider or anyone else asks you to install "for security".',
  },
  disguisedName: {
    explanation: (name, imitated, differences) =>
      `This certificate imitates the name of ${name}, ${imitated === 'interception' ? 'a certificate used to intercept internet traffic' : 'a state certificate authority outside the public root programs'}, with a different key, and disguises the name so that it is not recognised: ${differences}. A certificate authority has no honest reason to disguise its own name: this one is most likely made to read your traffic without being noticed.`,
    difference: (kind, scripts, realScripts) =>
      ({
        script: `it uses ${scripts} letters where the real name has ${realScripts} ones`,
        styled: 'it uses styled letters (full-width or mathematical) instead of ordinary ones',
        invisible: 'it contains invisible characters',
        spacing: 'it uses unusual space characters',
        marks: 'it has accents or other marks added to its letters',
        digits: 'it uses digits or symbols in place of letters',
        punctuation: 'it has punctuation or symbols inserted',
        letters: 'it uses similar-looking letters in place of the real ones',
      })[kind],
    scriptName: {
      Latin: 'Latin', Cyrillic: 'Cyrillic', Greek: 'Greek', Armenian: 'Armenian', Georgian: 'Georgian', Cherokee: 'Cherokee', Coptic: 'Coptic',
      Hebrew: 'Hebrew', Arabic: 'Arabic', Lisu: 'Lisu', Canadian_Aboriginal: 'Canadian syllabic', other: 'other',
    },
    and: ' and ',
  },
  governmentCaByName: {
    explanation: (name) =>
      `This certificate carries the name of ${name}, a state certificate authority that is not part of the public root programs, but it is not one of the copies we know. While it is trusted, whoever controls it can create a certificate for any website.`,
    advice: 'If you do not need the sites that use it, remove it. If you do, keep it only in a separate browser that you use for those sites.',
  },
  unknownRoot: {
    explanation:
      'This root certificate is not part of the public root programs that browsers use. Company networks, antivirus programs and developer tools install roots like this one; so do people who want to read your traffic. While it is trusted, whoever holds its key can create a certificate for any website.',
    advice:
      'If you know where it came from (your employer, your antivirus, a tool you use), you can keep it. If you do not recognise it, remove it: you can undo the removal later.',
  },
  unknownRootLimited: {
    explanation: (names) =>
      `This root certificate is not part of the public root programs that browsers use, but it limits itself to these names: ${names}. Up-to-date browsers and systems refuse a certificate it vouches for under any other name, so on them it cannot be used to read your connections to other websites (old programs may ignore the limit). Companies set up their own roots this way.`,
    advice: 'If these are your organisation’s names, you can keep it. If you do not recognise them, remove it: you can undo the removal later.',
  },
  retiredRoot: {
    explanation:
      "This root was in the public root programs when your system's certificate package was made, but browsers have removed it since: some such roots were simply retired, others were dropped because browsers stopped trusting the company behind them.",
    advice: "Install your system's updates (the ca-certificates package): that removes it. You can also remove it here.",
  },
  expired: {
    explanation: (date) => `This certificate expired on ${date}. Expired certificates are no longer used to check websites.`,
    advice: 'It is safe to leave it, and safe to remove it.',
  },
  weakKey: {
    explanation: (algorithm, bits) =>
      `This certificate uses a ${bits}-bit ${algorithm} key, which is too short to be safe today: a well-funded attacker could forge certificates with it.`,
    advice: 'Remove it unless a program you rely on needs it.',
  },
  weakSignature: {
    explanation: (algorithm) =>
      `This certificate is signed with ${algorithm}, a method that can be forged. Browsers no longer accept it.`,
    advice: 'Remove it unless a program you rely on needs it.',
  },
  distrustedEverywhere: 'It is already marked as not trusted everywhere it was found, so it cannot be used against you now.',
  sameKey: 'This copy was re-issued, but with the same key as the listed certificate, so it gives the same power.',
  issuedBy: (ca, proof) =>
    `This certificate was issued by ${ca}: ${proof === 'signature' ? "its signature was made with that authority's key" : 'it names that authority as its issuer, by name and by key identifier'}. What that authority issues is as dangerous as the authority itself. About the authority:`,
}

const ru: Texts = {
  verdict: {
    critical: 'На этом компьютере установлен сертификат, который позволяет посторонним читать ваши защищённые соединения.',
    high: 'На этом компьютере установлен сертификат, который браузеры блокируют как опасный.',
    highCopy: 'На этом компьютере установлена копия сертификата, с помощью которого читают чужие защищённые соединения.',
    medium: 'На этом компьютере установлен государственный удостоверяющий центр, не входящий в публичные программы корневых сертификатов. Прочитайте, что это значит, прежде чем решать.',
    review: (n) =>
      `Сертификатов для перехвата не найдено. ${plural(n, 'сертификат не входит', 'сертификата не входят', 'сертификатов не входят')} в публичные программы — на них стоит взглянуть.`,
    clean: 'Сертификатов для перехвата не найдено.',
    nothingScanned: 'Ничего не удалось проверить, поэтому вывода нет. Подробности — в списке проблем ниже.',
    incomplete: (n) =>
      `В том, что удалось прочитать, опасных сертификатов не найдено, но ${n} ${placesRu(n)} не удалось проверить полностью, поэтому это не гарантия безопасности. Подробности — в списке проблем ниже.`,
    uncheckedPlaces: (n) => `${n} ${placesRu(n)} не удалось проверить полностью: подробности — в списке проблем ниже.`,
  },
  lookalike: {
    explanation: (name) =>
      `Этот сертификат носит имя ${name} — сертификата, которым перехватывали интернет-трафик, — но с другим ключом. Скорее всего, это новая копия для следующей волны перехвата.`,
    advice: 'Удалите его. Не устанавливайте сертификаты, которые интернет-провайдер или кто-либо ещё просит установить «для безопасности».',
  },
  disguisedName: {
    explanation: (name, imitated, differences) =>
      `Этот сертификат подражает имени ${name} — ${imitated === 'interception' ? 'сертификата, которым перехватывали интернет-трафик' : 'государственного удостоверяющего центра вне публичных программ корневых сертификатов'}, — но с другим ключом, а имя замаскировано, чтобы его не узнали: ${differences}. У удостоверяющего центра нет честных причин маскировать собственное имя: скорее всего, этот сделан, чтобы незаметно читать ваш трафик.`,
    difference: (kind, scripts, realScripts) =>
      ({
        script: `в нём буквы другого алфавита (${scripts}) там, где в настоящем имени — ${realScripts}`,
        styled: 'в нём стилизованные буквы (полноширинные или математические) вместо обычных',
        invisible: 'в нём есть невидимые символы',
        spacing: 'в нём необычные пробельные символы',
        marks: 'к его буквам добавлены диакритические знаки',
        digits: 'в нём цифры или символы вместо букв',
        punctuation: 'в него вставлены знаки препинания или символы',
        letters: 'в нём вместо настоящих букв — похожие на них другие',
      })[kind],
    scriptName: {
      Latin: 'латиница', Cyrillic: 'кириллица', Greek: 'греческий алфавит', Armenian: 'армянский алфавит', Georgian: 'грузинское письмо',
      Cherokee: 'письмо чероки', Coptic: 'коптский алфавит', Hebrew: 'иврит', Arabic: 'арабское письмо', Lisu: 'письмо лису',
      Canadian_Aboriginal: 'канадское слоговое письмо', other: 'другой алфавит',
    },
    and: ' и ',
  },
  governmentCaByName: {
    explanation: (name) =>
      `Этот сертификат носит имя ${name} — государственного удостоверяющего центра вне публичных программ корневых сертификатов, — но это не одна из известных нам копий. Пока ему доверяют, тот, кто им управляет, может выпустить сертификат для любого сайта.`,
    advice: 'Если сайты, которым он нужен, вам не нужны, удалите его. Если нужны — оставьте его только в отдельном браузере для этих сайтов.',
  },
  unknownRoot: {
    explanation:
      'Этот корневой сертификат не входит в публичные программы, которыми пользуются браузеры. Такие сертификаты ставят корпоративные сети, антивирусы и инструменты разработчиков — и те, кто хочет читать ваш трафик. Пока ему доверяют, владелец его ключа может выпустить сертификат для любого сайта.',
    advice:
      'Если вы знаете, откуда он (работодатель, антивирус, нужная вам программа), его можно оставить. Если не узнаёте — удалите: удаление можно отменить.',
  },
  unknownRootLimited: {
    explanation: (names) =>
      `Этот корневой сертификат не входит в публичные программы, которыми пользуются браузеры, но сам ограничивает себя такими именами: ${names}. Современные браузеры и системы отвергают выпущенный им сертификат для любого другого имени, поэтому на них с его помощью нельзя читать ваши соединения с другими сайтами (старые программы могут не учитывать это ограничение). Так компании настраивают собственные корневые сертификаты.`,
    advice: 'Если это имена вашей организации, его можно оставить. Если вы их не узнаёте — удалите: удаление можно отменить.',
  },
  retiredRoot: {
    explanation:
      'Этот корневой сертификат входил в публичные программы, когда собирался пакет сертификатов вашей системы, но браузеры с тех пор его убрали: одни такие сертификаты просто вышли из употребления, другим перестали доверять из-за компании, которая их выпустила.',
    advice: 'Установите обновления системы (пакет ca-certificates) — это его удалит. Можно удалить его и здесь.',
  },
  expired: {
    explanation: (date) => `Срок действия этого сертификата истёк ${date}. Просроченные сертификаты больше не используются для проверки сайтов.`,
    advice: 'Его можно оставить, а можно и удалить — и то и другое безопасно.',
  },
  weakKey: {
    explanation: (algorithm, bits) =>
      `В этом сертификате ключ ${algorithm} длиной ${bits} бит — сегодня этого слишком мало: хорошо оснащённый злоумышленник может подделывать им сертификаты.`,
    advice: 'Удалите его, если он не нужен программе, на которую вы полагаетесь.',
  },
  weakSignature: {
    explanation: (algorithm) => `Этот сертификат подписан алгоритмом ${algorithm}, который можно подделать. Браузеры его больше не принимают.`,
    advice: 'Удалите его, если он не нужен программе, на которую вы полагаетесь.',
  },
  distrustedEverywhere: 'Везде, где он найден, он уже помечен как недоверенный, поэтому сейчас его нельзя использовать против вас.',
  sameKey: 'Эта копия выпущена заново, но с тем же ключом, что и известный сертификат, поэтому даёт те же возможности.',
  issuedBy: (ca, proof) =>
    `Этот сертификат выпущен центром ${ca}: ${proof === 'signature' ? 'его подпись сделана ключом этого центра' : 'он указывает этот центр как издателя — по имени и по идентификатору ключа'}. Всё, что выпускает этот центр, так же опасно, как и он сам. О самом центре:`,
}

const kk: Texts = {
  verdict: {
    critical: 'Бұл компьютерде бөгде адамдарға қорғалған байланыстарыңызды оқуға мүмкіндік беретін сертификат орнатылған.',
    high: 'Бұл компьютерде браузерлер қауіпті деп бұғаттайтын сертификат орнатылған.',
    highCopy: 'Бұл компьютерде бөгделердің қорғалған байланыстарын оқу үшін қолданылатын сертификаттың көшірмесі орнатылған.',
    medium: 'Бұл компьютерде түбірлік сертификаттардың жария бағдарламаларына кірмейтін мемлекеттік куәландырушы орталық орнатылған. Шешім қабылдамас бұрын оның не екенін оқып шығыңыз.',
    review: (n) =>
      `Трафикті ұстап алуға арналған сертификат табылмады. ${n} сертификат жария бағдарламаларға кірмейді — оларды қарап шыққан жөн.`,
    clean: 'Трафикті ұстап алуға арналған сертификат табылмады.',
    nothingScanned: 'Ештеңе тексерілмеді, сондықтан қорытынды жоқ. Төмендегі мәселелерді қараңыз.',
    incomplete: (n) =>
      `Оқылған деректерде қауіпті сертификат табылмады, бірақ ${n} орынды толық тексеру мүмкін болмады, сондықтан бұл толық қауіпсіздік кепілі емес. Төмендегі мәселелерді қараңыз.`,
    uncheckedPlaces: (n) => `${n} орынды толық тексеру мүмкін болмады: төмендегі мәселелерді қараңыз.`,
  },
  lookalike: {
    explanation: (name) =>
      `Бұл сертификат интернет-трафикті ұстап алу үшін қолданылған ${name} сертификатының атын иеленеді, бірақ кілті басқа. Бұл ұстап алудың келесі кезеңіне жасалған жаңа көшірме болуы әбден мүмкін.`,
    advice: 'Оны жойыңыз. Интернет-провайдер немесе басқа біреу «қауіпсіздік үшін» орнатуды сұраған сертификаттарды орнатпаңыз.',
  },
  disguisedName: {
    explanation: (name, imitated, differences) =>
      `Бұл сертификат ${name} атауына еліктейді (${imitated === 'interception' ? 'интернет-трафикті ұстап алу үшін қолданылған сертификат' : 'жария түбірлік бағдарламаларға кірмейтін мемлекеттік куәландырушы орталық'}), бірақ кілті басқа, ал атауы танылмас үшін бүркемеленген: ${differences}. Куәландырушы орталықтың өз атауын бүркемелеуге адал себебі жоқ: бұл трафигіңізді байқатпай оқу үшін жасалған болуы әбден мүмкін.`,
    difference: (kind, scripts, realScripts) =>
      ({
        script: `шын атауда ${realScripts} әріптері тұрған жерде ${scripts} әріптері қолданылған`,
        styled: 'кәдімгі әріптердің орнына сәнделген (толық енді немесе математикалық) әріптер қолданылған',
        invisible: 'онда көзге көрінбейтін таңбалар бар',
        spacing: 'онда әдеттен тыс бос орын таңбалары бар',
        marks: 'әріптеріне диакритикалық белгілер қосылған',
        digits: 'әріптердің орнына цифрлар немесе таңбалар қолданылған',
        punctuation: 'оған тыныс белгілері немесе таңбалар қосылған',
        letters: 'шын әріптердің орнына соларға ұқсас басқа әріптер қолданылған',
      })[kind],
    scriptName: {
      Latin: 'латын', Cyrillic: 'кирилл', Greek: 'грек', Armenian: 'армян', Georgian: 'грузин', Cherokee: 'чероки', Coptic: 'копт',
      Hebrew: 'иврит', Arabic: 'араб', Lisu: 'лису', Canadian_Aboriginal: 'канадалық буын жазуы', other: 'басқа әліпби',
    },
    and: ' және ',
  },
  governmentCaByName: {
    explanation: (name) =>
      `Бұл сертификат жария түбірлік бағдарламаларға кірмейтін ${name} мемлекеттік куәландырушы орталығының атын иеленеді, бірақ біз білетін көшірмелердің бірі емес. Оған сенім болған кезде, оны басқаратын адам кез келген сайтқа сертификат шығара алады.`,
    advice: 'Оны қажет ететін сайттар сізге керек болмаса, жойыңыз. Керек болса, оны сол сайттарға арналған бөлек браузерде ғана қалдырыңыз.',
  },
  unknownRoot: {
    explanation:
      'Бұл түбірлік сертификат браузерлер пайдаланатын жария бағдарламаларға кірмейді. Мұндай сертификаттарды корпоративтік желілер, антивирустар мен әзірлеушілер құралдары орнатады — трафигіңізді оқығысы келетіндер де орнатады. Оған сенім болған кезде, кілтінің иесі кез келген сайтқа сертификат шығара алады.',
    advice:
      'Оның қайдан келгенін білсеңіз (жұмыс берушіңіз, антивирус, өзіңіз қолданатын бағдарлама), қалдыруға болады. Танымасаңыз, жойыңыз: жоюды кейін қайтаруға болады.',
  },
  unknownRootLimited: {
    explanation: (names) =>
      `Бұл түбірлік сертификат браузерлер пайдаланатын жария бағдарламаларға кірмейді, бірақ өзін мына атаулармен шектейді: ${names}. Жаңартылған браузерлер мен жүйелер ол кез келген басқа атауға шығарған сертификатты қабылдамайды, сондықтан оларда онымен басқа сайттармен байланыстарыңызды оқу мүмкін емес (ескі бағдарламалар бұл шектеуді елемеуі мүмкін). Компаниялар өз түбірлік сертификаттарын осылай баптайды.`,
    advice: 'Бұл ұйымыңыздың атаулары болса, оны қалдыруға болады. Оларды танымасаңыз, жойыңыз: жоюды кейін қайтаруға болады.',
  },
  retiredRoot: {
    explanation:
      'Жүйеңіздің сертификаттар пакеті жасалған кезде бұл түбірлік сертификат жария бағдарламаларға кірген, бірақ содан бері браузерлер оны алып тастады: мұндай сертификаттардың кейбірі жай ғана қолданыстан шықты, ал кейбіріне оны шығарған компанияға сенім болмағандықтан сенуді тоқтатты.',
    advice: 'Жүйе жаңартуларын орнатыңыз (ca-certificates пакеті) — сонда ол жойылады. Оны осы жерде де жоюға болады.',
  },
  expired: {
    explanation: (date) => `Бұл сертификаттың мерзімі ${date} күні аяқталған. Мерзімі өткен сертификаттар сайттарды тексеру үшін енді қолданылмайды.`,
    advice: 'Оны қалдыру да, жою да қауіпсіз.',
  },
  weakKey: {
    explanation: (algorithm, bits) =>
      `Бұл сертификатта ұзындығы ${bits} бит ${algorithm} кілті бар — бүгінгі таңда бұл тым аз: мүмкіндігі мол шабуылдаушы онымен сертификаттарды қолдан жасай алады.`,
    advice: 'Өзіңіз сенетін бағдарламаға қажет болмаса, оны жойыңыз.',
  },
  weakSignature: {
    explanation: (algorithm) => `Бұл сертификатқа қолдан жасауға болатын ${algorithm} алгоритмімен қол қойылған. Браузерлер оны енді қабылдамайды.`,
    advice: 'Өзіңіз сенетін бағдарламаға қажет болмаса, оны жойыңыз.',
  },
  distrustedEverywhere: 'Ол табылған барлық жерде сенімсіз деп белгіленген, сондықтан қазір оны сізге қарсы пайдалану мүмкін емес.',
  sameKey: 'Бұл көшірме қайта шығарылған, бірақ кілті тізімдегі сертификаттікімен бірдей, сондықтан мүмкіндігі де сондай.',
  issuedBy: (ca, proof) =>
    `Бұл сертификатты ${ca} шығарған: ${proof === 'signature' ? 'оның қолтаңбасы сол орталықтың кілтімен жасалған' : 'ол бұл орталықты шығарушы ретінде атауы мен кілт идентификаторы бойынша көрсетеді'}. Бұл орталық шығарғанның бәрі орталықтың өзі сияқты қауіпті. Орталықтың өзі туралы:`,
}

/** The explanation's list of how a disguised name differs from the real one, in `texts`' language. */
export function disguiseDifferences(texts: Texts, disguise: NameDisguise): string {
  const names = (scripts: readonly ScriptName[]) => scripts.map((script) => texts.disguisedName.scriptName[script]).join(texts.disguisedName.and)
  return disguise.kinds.map((kind) => texts.disguisedName.difference(kind, names(disguise.scripts), names(disguise.realScripts))).join('; ')
}

function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10
  const mod100 = n % 100
  const form = mod10 === 1 && mod100 !== 11 ? one : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? few : many
  return `${n} ${form}`
}

const TEXTS: Readonly<Record<Language, Texts>> = { en, ru, kk }

export function textsFor(language: Language): Texts {
  return TEXTS[language]
}

export const LANGUAGES: readonly Language[] = ['en', 'ru', 'kk']

/** Picks en, ru or kk from a locale string such as `ru_RU.UTF-8` or `kk-KZ`; English otherwise. */
export function languageFromLocale(locale: string | undefined): Language {
  const code = (locale ?? '').slice(0, 2).toLowerCase()
  return code === 'ru' || code === 'kk' ? code : 'en'
}
