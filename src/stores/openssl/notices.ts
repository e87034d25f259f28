import { defineNotices } from '../shared/notices.js'

/**
 * What the openssl kind tells people instead of changing a file (write.ts says why it never does):
 * who rebuilds the file, and the command that removes the certificate for good, in every language.
 */
export const opensslNotices = defineNotices({
  en: {
    'openssl-nix': '{file} is in the read-only Nix store: Nix builds it, so it cannot be edited. On NixOS, remove this certificate from security.pki.certificates or security.pki.certificateFiles in the system configuration (/etc/nixos/configuration.nix or your flake), then run "{command}"; elsewhere, update or remove the Nix package that holds it (nss-cacert).',
    'openssl-guix': '{file} is in the read-only Guix store: Guix builds it from the system declaration and its certificate packages (such as nss-certs), so it cannot be edited. Remove what adds this certificate from the declaration, then run "{command}".',
    'openssl-clear': '{file} is Clear Linux\'s trust store, which clrtrust rebuilds from /usr/share/ca-certs and /etc/ca-certs. Run "{command}": clrtrust deletes a certificate that was added, and distrusts one that Clear Linux ships.',
    'openssl-homebrew': '{file} is written by Homebrew\'s ca-certificates package from Mozilla\'s list and, on a Mac, the certificates the System keychain trusts. Remove this certificate from the keychain first if it is there, then run "{command}".',
    'openssl-apk': '{file} belongs to the Alpine package {package}, so an edit lasts only until the package is updated. Run "{command}" to put back the package\'s own copy, which holds only the certificates Alpine ships.',
    'openssl-certctl': '{file} is built by FreeBSD\'s certctl from /usr/share/certs/trusted and /usr/local/share/certs. Run "{command}" to stop trusting this certificate; certctl rebuilds the folder and the bundle.',
    'openssl-ca-root-nss': '{file} belongs to the FreeBSD package ca_root_nss. Run "{command}" to put back the package\'s own copy.',
    'openssl-android': '{file} is one of Android\'s trusted certificates. Turn it off in Settings → Security → Trusted credentials (the System tab for a built-in one, User for one that was added), or delete the file with root access.',
    'openssl-macos': '{file} comes with macOS and is replaced by macOS updates. As an administrator, keep a copy of it and remove this certificate\'s block from it by hand; remove the certificate from the keychains too (Keychain Access).',
    'openssl-folder-file': '{file} was placed in {folder}, a folder that {programs} read. As an administrator, keep a copy of it, delete it (if it is a link, delete the link), then run "{command}" so that no hash link to it is left.',
    'openssl-by-hand': '{file} is a default certificate file that {programs} read, and no tool CertAudit knows of rebuilds it on this system. As an administrator, keep a copy of it, then remove this certificate\'s block (from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----"), or put back a clean copy by reinstalling the package that installed the file.',
  },
  ru: {
    'openssl-nix': '{file} лежит в хранилище Nix, доступном только для чтения: его собирает Nix, поэтому его нельзя изменить. В NixOS удалите этот сертификат из security.pki.certificates или security.pki.certificateFiles в конфигурации системы (/etc/nixos/configuration.nix или ваш flake), затем выполните «{command}»; в других системах обновите или удалите пакет Nix, в котором он лежит (nss-cacert).',
    'openssl-guix': '{file} лежит в хранилище Guix, доступном только для чтения: Guix собирает его из описания системы и пакетов сертификатов (например, nss-certs), поэтому его нельзя изменить. Уберите из описания то, что добавляет этот сертификат, затем выполните «{command}».',
    'openssl-clear': '{file} — хранилище доверия Clear Linux, которое clrtrust пересобирает из /usr/share/ca-certs и /etc/ca-certs. Выполните «{command}»: добавленный сертификат clrtrust удалит, а поставляемый с Clear Linux — пометит как недоверенный.',
    'openssl-homebrew': '{file} записывает пакет ca-certificates из Homebrew: из списка Mozilla и, на Mac, из сертификатов, которым доверяет системная связка ключей. Сначала удалите этот сертификат из связки ключей, если он там есть, затем выполните «{command}».',
    'openssl-apk': '{file} принадлежит пакету Alpine {package}, поэтому правка сохранится только до обновления пакета. Выполните «{command}», чтобы вернуть копию из пакета: в ней только сертификаты, которые поставляет Alpine.',
    'openssl-certctl': '{file} собирает certctl во FreeBSD из /usr/share/certs/trusted и /usr/local/share/certs. Выполните «{command}», чтобы перестать доверять этому сертификату; certctl пересоберёт папку и набор.',
    'openssl-ca-root-nss': '{file} принадлежит пакету FreeBSD ca_root_nss. Выполните «{command}», чтобы вернуть копию из пакета.',
    'openssl-android': '{file} — один из доверенных сертификатов Android. Отключите его в «Настройки → Безопасность → Надёжные сертификаты» (вкладка «Система» для встроенного, «Пользователь» для добавленного) или удалите файл с правами root.',
    'openssl-macos': '{file} входит в macOS и заменяется при обновлениях macOS. С правами администратора сохраните его копию и удалите из него блок этого сертификата вручную; удалите сертификат и из связок ключей («Связка ключей»).',
    'openssl-folder-file': '{file} помещён в {folder} — папку, которую читают {programs}. С правами администратора сохраните его копию, удалите его (если это ссылка — удалите ссылку), затем выполните «{command}», чтобы не осталось хеш-ссылок на него.',
    'openssl-by-hand': '{file} — стандартный файл сертификатов, который читают {programs}, и ни один известный CertAudit инструмент не пересобирает его на этой системе. С правами администратора сохраните его копию, затем удалите блок этого сертификата (от «-----BEGIN CERTIFICATE-----» до «-----END CERTIFICATE-----») или верните чистую копию, переустановив пакет, который установил этот файл.',
  },
  kk: {
    'openssl-nix': '{file} тек оқуға арналған Nix қоймасында тұр: оны Nix құрастырады, сондықтан оны өзгерту мүмкін емес. NixOS-та бұл сертификатты жүйе конфигурациясындағы security.pki.certificates немесе security.pki.certificateFiles ішінен алып тастаңыз (/etc/nixos/configuration.nix немесе flake), содан кейін «{command}» орындаңыз; басқа жүйелерде оны ұстайтын Nix пакетін (nss-cacert) жаңартыңыз немесе жойыңыз.',
    'openssl-guix': '{file} тек оқуға арналған Guix қоймасында тұр: оны Guix жүйе сипаттамасынан және сертификаттар пакеттерінен (мысалы, nss-certs) құрастырады, сондықтан оны өзгерту мүмкін емес. Бұл сертификатты қосатын нәрсені сипаттамадан алып тастап, содан кейін «{command}» орындаңыз.',
    'openssl-clear': '{file} — Clear Linux сенім қоймасы, оны clrtrust /usr/share/ca-certs және /etc/ca-certs ішінен қайта құрастырады. «{command}» орындаңыз: clrtrust қосылған сертификатты жояды, ал Clear Linux бірге келетінін сенімсіз деп белгілейді.',
    'openssl-homebrew': '{file} файлын Homebrew-тің ca-certificates пакеті Mozilla тізімінен және Mac-та жүйелік кілттер байламы сенетін сертификаттардан жазады. Алдымен бұл сертификатты кілттер байламынан жойыңыз (егер онда болса), содан кейін «{command}» орындаңыз.',
    'openssl-apk': '{file} Alpine-ның {package} пакетіне тиесілі, сондықтан өзгеріс пакет жаңартылғанша ғана сақталады. Пакеттің өз көшірмесін қайтару үшін «{command}» орындаңыз: онда тек Alpine бірге келетін сертификаттар бар.',
    'openssl-certctl': '{file} файлын FreeBSD-дегі certctl /usr/share/certs/trusted және /usr/local/share/certs ішінен құрастырады. Бұл сертификатқа сенуді тоқтату үшін «{command}» орындаңыз; certctl қалта мен жинақты қайта құрастырады.',
    'openssl-ca-root-nss': '{file} FreeBSD-дің ca_root_nss пакетіне тиесілі. Пакеттің өз көшірмесін қайтару үшін «{command}» орындаңыз.',
    'openssl-android': '{file} — Android сенетін сертификаттардың бірі. Оны «Параметрлер → Қауіпсіздік → Сенімді тіркелгі деректері» ішінде өшіріңіз (кірістірілгені үшін «Жүйе» қойындысы, қосылғаны үшін «Пайдаланушы») немесе файлды root құқығымен жойыңыз.',
    'openssl-macos': '{file} macOS-пен бірге келеді және macOS жаңартуларында ауыстырылады. Әкімші ретінде оның көшірмесін сақтап, одан осы сертификаттың блогын қолмен жойыңыз; сертификатты кілттер байламдарынан да жойыңыз («Кілттер байламы»).',
    'openssl-folder-file': '{file} {folder} қалтасына қойылған, бұл қалтаны {programs} оқиды. Әкімші ретінде оның көшірмесін сақтап, оны жойыңыз (егер бұл сілтеме болса, сілтемені жойыңыз), содан кейін оған хеш-сілтеме қалмауы үшін «{command}» орындаңыз.',
    'openssl-by-hand': '{file} — {programs} оқитын стандартты сертификаттар файлы, және CertAudit білетін ешбір құрал оны бұл жүйеде қайта құрастырмайды. Әкімші ретінде оның көшірмесін сақтаңыз, содан кейін осы сертификаттың блогын («-----BEGIN CERTIFICATE-----» бастап «-----END CERTIFICATE-----» дейін) жойыңыз немесе файлды орнатқан пакетті қайта орнатып, таза көшірмесін қайтарыңыз.',
  },
})
