import { defineNotices } from '../shared/notices.js'

/** What the java store tells people before a change, in every language. */
export const javaNotices = defineNotices({
  en: {
    'java-confined': 'CertAudit will not change this keystore from here: {reason} Change it on that system itself.',
    'java-no-keytool': 'keytool, which comes with every JDK, is not installed here (or not on the PATH). With any JDK, run: {command}',
    'java-other-password': '{location} is protected by a password other than "{password}", which CertAudit does not know. Remove the entry with its password by hand: {command}',
    'java-private-key': '"{entry}" in {location} is a private key entry: deleting it would delete the key too, which no backup of the certificate can bring back. If you are sure, remove it yourself: {command}',
    'java-generated': '{location} is generated from the Linux system store: remove the certificate there too, or the next update of the system store puts it back here.',
  },
  ru: {
    'java-confined': 'CertAudit не будет изменять это хранилище ключей отсюда: {reason} Измените его на самой той системе.',
    'java-no-keytool': 'keytool, входящий в любой JDK, здесь не установлен (или его нет в PATH). С любым JDK выполните: {command}',
    'java-other-password': '{location} защищён паролем, отличным от «{password}», и CertAudit его не знает. Удалите запись вручную с этим паролем: {command}',
    'java-private-key': '«{entry}» в {location} — запись с закрытым ключом: её удаление удалит и ключ, а резервная копия сертификата его не вернёт. Если вы уверены, удалите её сами: {command}',
    'java-generated': '{location} создаётся из системного хранилища Linux: удалите сертификат и там, иначе следующее обновление системного хранилища вернёт его сюда.',
  },
  kk: {
    'java-confined': 'CertAudit бұл кілттер қоймасын осы жерден өзгертпейді: {reason} Оны сол жүйенің өзінде өзгертіңіз.',
    'java-no-keytool': 'Әр JDK құрамындағы keytool мұнда орнатылмаған (немесе PATH ішінде жоқ). Кез келген JDK арқылы орындаңыз: {command}',
    'java-other-password': '{location} «{password}» емес басқа құпиясөзбен қорғалған, оны CertAudit білмейді. Жазбаны сол құпиясөзбен қолмен жойыңыз: {command}',
    'java-private-key': '{location} ішіндегі «{entry}» — жабық кілті бар жазба: оны жою кілтті де жояды, ал сертификаттың сақтық көшірмесі оны қайтара алмайды. Сенімді болсаңыз, өзіңіз жойыңыз: {command}',
    'java-generated': '{location} Linux жүйелік қоймасынан жасалады: сертификатты сол жерден де жойыңыз, әйтпесе жүйелік қойманың келесі жаңартуы оны мұнда қайтарады.',
  },
})
