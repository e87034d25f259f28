import { defineNotices } from '../shared/notices.js'

/**
 * What the runtime store tells people before a change, in every language. `{tool}`: the tool's own
 * name (python, npm, docker …); `{setBy}`: the settings that point it at the file, with their lines.
 */
export const runtimeNotices = defineNotices({
  en: {
    'runtime-package': '{location} belongs to the package {package}, installed for the whole computer ({environment}), so CertAudit does not edit it. Reinstalling the package puts its own bundle back, without this certificate: {command} (or your package manager’s reinstall).',
    'runtime-package-warning': '{location} belongs to the package {package} of {environment}: CertAudit takes this one certificate out of it. Reinstalling or upgrading {package} there replaces the whole file with its stock copy, which does not have it either.',
    'runtime-not-yours': '{location} is not your own file (it is outside your home folder or belongs to another user), so CertAudit does not edit it. {tool} trusts it because of: {setBy}. Delete that setting, or ask whoever manages the file to remove this certificate.',
    'runtime-registry': '{location} makes {tool} trust this certificate for the registry {environment}, and it is not your own file. Delete it with: {command} — then restart {tool}.',
    'runtime-folder': '{location} is a folder that {tool} trusts because of: {setBy}. Delete this certificate’s file from it ({entry}), or delete that setting.',
    'runtime-inline': 'This certificate is written into {location} itself ({entry}). Delete that line from the file; CertAudit does not edit config files.',
    'runtime-cannot-cut': 'CertAudit cannot cut this certificate out of {location} without risk (it is not a PEM block of its own there). Remove it by hand, or delete the setting that makes {tool} trust the file: {setBy}.',
    'runtime-keystore': '{location} is a Java trust store that {tool} uses ({setBy}), and it is not your own file. Delete the entry with: {command} — or delete that setting.',
    'runtime-unreadable': 'CertAudit could not read {location} to change it. Remove the certificate from it by hand.',
    'runtime-link': '{location} is a link to {file}, which is not your own file, so CertAudit does not edit it. Remove this certificate there: if it is the system’s bundle, from the computer’s system store, which CertAudit lists on its own.',
    'runtime-app': '{location} belongs to {tool}, installed for the whole computer ({environment}), so CertAudit does not edit it. Reinstalling or updating {tool} puts its own bundle back, without this certificate.',
    'runtime-dotnet': '{location} is this certificate in .NET’s CurrentUser Root store (one file per certificate). Delete that file, and .NET programs stop trusting it; CertAudit does not delete it.',
    'runtime-still-set': 'Only this certificate is taken out of {location}; {setBy} still points {tool} at the file.',
    'runtime-empty': 'This is the only certificate in {location}: the file will be left without any, and {tool} may fail to connect until you delete the setting that points at it ({setBy}).',
  },
  ru: {
    'runtime-package': '{location} принадлежит пакету {package}, установленному для всего компьютера ({environment}), поэтому CertAudit его не изменяет. Переустановка пакета вернёт его собственный набор, без этого сертификата: {command} (или переустановка через ваш менеджер пакетов).',
    'runtime-package-warning': '{location} принадлежит пакету {package} окружения {environment}: CertAudit удаляет из него только этот сертификат. Переустановка или обновление {package} там заменит весь файл стандартной копией, в которой его тоже нет.',
    'runtime-not-yours': '{location} — не ваш файл (он вне вашей домашней папки или принадлежит другому пользователю), поэтому CertAudit его не изменяет. {tool} доверяет ему из-за: {setBy}. Удалите эту настройку или попросите того, кто управляет файлом, удалить этот сертификат.',
    'runtime-registry': '{location} заставляет {tool} доверять этому сертификату для реестра {environment}, и это не ваш файл. Удалите его командой: {command} — затем перезапустите {tool}.',
    'runtime-folder': '{location} — папка, которой {tool} доверяет из-за: {setBy}. Удалите из неё файл этого сертификата ({entry}) или удалите эту настройку.',
    'runtime-inline': 'Этот сертификат записан прямо в {location} ({entry}). Удалите эту строку из файла; CertAudit не изменяет файлы настроек.',
    'runtime-cannot-cut': 'CertAudit не может безопасно вырезать этот сертификат из {location} (там он не отдельный блок PEM). Удалите его вручную или удалите настройку, из-за которой {tool} доверяет файлу: {setBy}.',
    'runtime-keystore': '{location} — хранилище доверия Java, которое использует {tool} ({setBy}), и это не ваш файл. Удалите запись командой: {command} — или удалите эту настройку.',
    'runtime-unreadable': 'CertAudit не смог прочитать {location}, чтобы изменить его. Удалите сертификат из него вручную.',
    'runtime-link': '{location} — ссылка на {file}, а это не ваш файл, поэтому CertAudit его не изменяет. Удалите этот сертификат там: если это системный набор — из системного хранилища компьютера, которое CertAudit показывает отдельно.',
    'runtime-app': '{location} принадлежит программе {tool}, установленной для всего компьютера ({environment}), поэтому CertAudit его не изменяет. Переустановка или обновление {tool} вернёт её собственный набор, без этого сертификата.',
    'runtime-dotnet': '{location} — этот сертификат в хранилище CurrentUser Root платформы .NET (по файлу на сертификат). Удалите этот файл, и программы .NET перестанут ему доверять; CertAudit его не удаляет.',
    'runtime-still-set': 'Из {location} удаляется только этот сертификат; {setBy} по-прежнему направляет {tool} на этот файл.',
    'runtime-empty': 'Это единственный сертификат в {location}: файл останется без сертификатов, и {tool} может не подключаться, пока вы не удалите настройку, которая на него указывает ({setBy}).',
  },
  kk: {
    'runtime-package': '{location} бүкіл компьютерге орнатылған {package} пакетіне тиесілі ({environment}), сондықтан CertAudit оны өзгертпейді. Пакетті қайта орнату оның өз жинағын осы сертификатсыз қайтарады: {command} (немесе пакет менеджеріңіз арқылы қайта орнату).',
    'runtime-package-warning': '{location} {environment} ортасындағы {package} пакетіне тиесілі: CertAudit одан тек осы сертификатты алады. Ол жерде {package} пакетін қайта орнату немесе жаңарту бүкіл файлды стандартты көшірмесімен ауыстырады, онда да бұл сертификат жоқ.',
    'runtime-not-yours': '{location} — сіздің файлыңыз емес (ол үй қалтаңыздан тыс немесе басқа пайдаланушыға тиесілі), сондықтан CertAudit оны өзгертпейді. {tool} оған мына себеппен сенеді: {setBy}. Сол баптауды жойыңыз немесе файлды басқаратын адамнан осы сертификатты жоюды сұраңыз.',
    'runtime-registry': '{location} {tool} бағдарламасын {environment} тізілімі үшін осы сертификатқа сендіреді, және ол сіздің файлыңыз емес. Оны мына командамен жойыңыз: {command} — содан кейін {tool} қайта іске қосыңыз.',
    'runtime-folder': '{location} — {tool} мына себеппен сенетін қалта: {setBy}. Осы сертификаттың файлын ({entry}) одан жойыңыз немесе сол баптауды жойыңыз.',
    'runtime-inline': 'Бұл сертификат тікелей {location} ішіне жазылған ({entry}). Сол жолды файлдан жойыңыз; CertAudit баптау файлдарын өзгертпейді.',
    'runtime-cannot-cut': 'CertAudit бұл сертификатты {location} ішінен қауіпсіз қиып ала алмайды (онда ол жеке PEM блогы емес). Оны қолмен жойыңыз немесе {tool} файлға сенетін баптауды жойыңыз: {setBy}.',
    'runtime-keystore': '{location} — {tool} пайдаланатын Java сенім қоймасы ({setBy}), және ол сіздің файлыңыз емес. Жазбаны мына командамен жойыңыз: {command} — немесе сол баптауды жойыңыз.',
    'runtime-unreadable': 'CertAudit {location} файлын өзгерту үшін оқи алмады. Сертификатты одан қолмен жойыңыз.',
    'runtime-link': '{location} — {file} файлына сілтеме, ал ол сіздің файлыңыз емес, сондықтан CertAudit оны өзгертпейді. Бұл сертификатты сол жерден жойыңыз: егер ол жүйелік жинақ болса — компьютердің жүйелік қоймасынан, оны CertAudit бөлек көрсетеді.',
    'runtime-app': '{location} бүкіл компьютерге орнатылған {tool} бағдарламасына тиесілі ({environment}), сондықтан CertAudit оны өзгертпейді. {tool} бағдарламасын қайта орнату немесе жаңарту оның өз жинағын осы сертификатсыз қайтарады.',
    'runtime-dotnet': '{location} — .NET платформасының CurrentUser Root қоймасындағы осы сертификат (әр сертификатқа бір файл). Сол файлды жойыңыз, сонда .NET бағдарламалары оған сенбейді; CertAudit оны жоймайды.',
    'runtime-still-set': '{location} ішінен тек осы сертификат алынады; {setBy} {tool} бағдарламасын әлі де осы файлға бағыттайды.',
    'runtime-empty': 'Бұл — {location} ішіндегі жалғыз сертификат: файлда бірде-бір сертификат қалмайды, және оған бағыттайтын баптауды ({setBy}) жойғанша {tool} қосыла алмауы мүмкін.',
  },
})
