import { defineNotices } from '../shared/notices.js'

/** What the env-bundle store tells people before a change, in every language. `{setBy}`: the variables or settings, and where they are set. */
export const envBundleNotices = defineNotices({
  en: {
    'env-bundle': '{location} is a bundle that an environment variable or a git setting points programs at. CertAudit does not edit it: remove this certificate from that file, or stop pointing programs at it (unset the variable, or remove the git setting).',
    'env-bundle-not-yours': '{location} is not your own file (it is outside your home folder or belongs to another user), so CertAudit does not edit it. Stop pointing programs at it — {setBy}: delete that line, or unset the variable — or ask whoever manages the file to remove this certificate.',
    'env-bundle-cannot-cut': 'CertAudit cannot cut this certificate out of {location} without risk (it is not a PEM block of its own there). Remove it by hand, or stop pointing programs at the file: {setBy}.',
    'env-bundle-folder': '{location} is a folder that {setBy} points programs at. Delete this certificate’s file from it ({entry}), or stop pointing programs at the folder.',
    'env-bundle-keystore': '{location} is a Java trust store that {setBy} points Java at, and it is not your own file. Delete the entry with: {command} — or remove the -Djavax.net.ssl.trustStore option.',
    'env-bundle-still-set': 'Only this certificate is taken out of {location}; {setBy} still points programs at the file.',
    'env-bundle-empty': 'This is the only certificate in {location}: the file will be left without any, and programs that {setBy} points at it may fail to connect until you remove that setting.',
  },
  ru: {
    'env-bundle': '{location} — набор сертификатов, на который программы направляет переменная окружения или настройка git. CertAudit его не изменяет: удалите сертификат из этого файла или перестаньте направлять на него программы (удалите переменную или настройку git).',
    'env-bundle-not-yours': '{location} — не ваш файл (он вне вашей домашней папки или принадлежит другому пользователю), поэтому CertAudit его не изменяет. Перестаньте направлять на него программы — {setBy}: удалите эту строку или переменную — или попросите того, кто управляет файлом, удалить этот сертификат.',
    'env-bundle-cannot-cut': 'CertAudit не может безопасно вырезать этот сертификат из {location} (там он не отдельный блок PEM). Удалите его вручную или перестаньте направлять программы на этот файл: {setBy}.',
    'env-bundle-folder': '{location} — папка, на которую программы направляет {setBy}. Удалите из неё файл этого сертификата ({entry}) или перестаньте направлять программы на эту папку.',
    'env-bundle-keystore': '{location} — хранилище доверия Java, на которое Java направляет {setBy}, и это не ваш файл. Удалите запись командой: {command} — или уберите параметр -Djavax.net.ssl.trustStore.',
    'env-bundle-still-set': 'Из {location} удаляется только этот сертификат; {setBy} по-прежнему направляет программы на этот файл.',
    'env-bundle-empty': 'Это единственный сертификат в {location}: файл останется без сертификатов, и программы, которые {setBy} направляет на него, могут не подключаться, пока вы не уберёте эту настройку.',
  },
  kk: {
    'env-bundle': '{location} — ортаның айнымалысы немесе git баптауы бағдарламаларды бағыттайтын сертификаттар жинағы. CertAudit оны өзгертпейді: сертификатты сол файлдан жойыңыз немесе бағдарламаларды оған бағыттауды тоқтатыңыз (айнымалыны немесе git баптауын алып тастаңыз).',
    'env-bundle-not-yours': '{location} — сіздің файлыңыз емес (ол үй қалтаңыздан тыс немесе басқа пайдаланушыға тиесілі), сондықтан CertAudit оны өзгертпейді. Бағдарламаларды оған бағыттауды тоқтатыңыз — {setBy}: сол жолды немесе айнымалыны жойыңыз — немесе файлды басқаратын адамнан осы сертификатты жоюды сұраңыз.',
    'env-bundle-cannot-cut': 'CertAudit бұл сертификатты {location} ішінен қауіпсіз қиып ала алмайды (онда ол жеке PEM блогы емес). Оны қолмен жойыңыз немесе бағдарламаларды бұл файлға бағыттауды тоқтатыңыз: {setBy}.',
    'env-bundle-folder': '{location} — {setBy} бағдарламаларды бағыттайтын қалта. Осы сертификаттың файлын ({entry}) одан жойыңыз немесе бағдарламаларды бұл қалтаға бағыттауды тоқтатыңыз.',
    'env-bundle-keystore': '{location} — {setBy} Java-ны бағыттайтын Java сенім қоймасы, және ол сіздің файлыңыз емес. Жазбаны мына командамен жойыңыз: {command} — немесе -Djavax.net.ssl.trustStore параметрін алып тастаңыз.',
    'env-bundle-still-set': '{location} ішінен тек осы сертификат алынады; {setBy} бағдарламаларды әлі де осы файлға бағыттайды.',
    'env-bundle-empty': 'Бұл — {location} ішіндегі жалғыз сертификат: файлда бірде-бір сертификат қалмайды, және {setBy} оған бағыттайтын бағдарламалар сол баптауды алып тастағанша қосыла алмауы мүмкін.',
  },
})
