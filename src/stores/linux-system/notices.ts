import { defineNotices } from '../shared/notices.js'

/** What the linux-system store tells people before a change, in every language. */
export const linuxSystemNotices = defineNotices({
  en: {
    'linux-unknown-store': '{store} is not a Linux system store CertAudit knows how to change.',
    'linux-bundle-only': 'This certificate is in {bundle}, but in none of the files the bundle is built from: something added it to the bundle directly. Rebuilding the bundle drops it: run "{update}" on that system.',
    'linux-in-blocklist': '{file} is in a blocklist folder: this certificate is distrusted already.',
    'linux-outside-store': '{file} is not in a folder of the system store that CertAudit changes. Remove the certificate from it by hand, then run "{update}".',
    'linux-cut-by-hand': 'Remove this certificate\'s block from {file} by hand, then run "{update}".',
    'debian-conf-deselect': 'Debian has no blocklist folder: delete and distrust both deselect {file} with a "!" in {conf}; the file itself belongs to the ca-certificates package and stays.',
    'debian-distrust-removes': 'Debian has no blocklist folder: distrusting a certificate from /usr/local/share/ca-certificates removes it, the same as deleting it.',
    'linux-others-cut': '{file} holds {count} other certificate(s): only this certificate is cut out of it; the others stay.',
    'linux-others-kept': '{file} holds {count} other certificate(s): they cannot be separated from this one, so the file is not deleted.',
    'linux-update-not-run': '"{update}" cannot be pointed at another system root ({root}), so it will not be run: the bundle {bundle} keeps the certificate until it runs on that system.',
    'linux-confined': 'CertAudit will not change this store from here: {reason} Change it on that system itself.',
  },
  ru: {
    'linux-unknown-store': '{store} — не то системное хранилище Linux, которое CertAudit умеет изменять.',
    'linux-bundle-only': 'Этот сертификат есть в {bundle}, но ни в одном из файлов, из которых собирается этот набор: его добавили в набор напрямую. Пересборка набора убирает его: выполните «{update}» на этой системе.',
    'linux-in-blocklist': '{file} лежит в папке блок-листа: доверие к этому сертификату уже отозвано.',
    'linux-outside-store': '{file} не находится в папке системного хранилища, которую изменяет CertAudit. Удалите из него сертификат вручную, затем выполните «{update}».',
    'linux-cut-by-hand': 'Удалите блок этого сертификата из {file} вручную, затем выполните «{update}».',
    'debian-conf-deselect': 'В Debian нет папки блок-листа: и удаление, и отзыв доверия отключают {file} знаком «!» в {conf}; сам файл принадлежит пакету ca-certificates и остаётся на месте.',
    'debian-distrust-removes': 'В Debian нет папки блок-листа: отзыв доверия к сертификату из /usr/local/share/ca-certificates удаляет его — так же, как удаление.',
    'linux-others-cut': 'В {file} есть и другие сертификаты ({count}): из файла вырезается только этот сертификат, остальные остаются.',
    'linux-others-kept': 'В {file} есть и другие сертификаты ({count}): их нельзя отделить от этого, поэтому файл не удаляется.',
    'linux-update-not-run': '«{update}» нельзя направить на другой корень системы ({root}), поэтому команда не будет выполнена: набор {bundle} сохранит сертификат, пока она не будет выполнена на той системе.',
    'linux-confined': 'CertAudit не будет изменять это хранилище отсюда: {reason} Измените его на самой той системе.',
  },
  kk: {
    'linux-unknown-store': '{store} — CertAudit өзгерте алатын Linux жүйелік қоймасы емес.',
    'linux-bundle-only': 'Бұл сертификат {bundle} ішінде бар, бірақ жинақ құрастырылатын файлдардың ешқайсысында жоқ: оны жинаққа тікелей қосқан. Жинақты қайта құрастыру оны алып тастайды: сол жүйеде «{update}» орындаңыз.',
    'linux-in-blocklist': '{file} блоктізім қалтасында тұр: бұл сертификатқа сенім алынып қойған.',
    'linux-outside-store': '{file} CertAudit өзгертетін жүйелік қойма қалтасында емес. Сертификатты одан қолмен жойып, содан кейін «{update}» орындаңыз.',
    'linux-cut-by-hand': 'Бұл сертификаттың блогын {file} ішінен қолмен жойып, содан кейін «{update}» орындаңыз.',
    'debian-conf-deselect': 'Debian-да блоктізім қалтасы жоқ: жою да, сенімді алу да {file} файлын {conf} ішінде «!» белгісімен өшіреді; файлдың өзі ca-certificates пакетіне тиесілі және орнында қалады.',
    'debian-distrust-removes': 'Debian-да блоктізім қалтасы жоқ: /usr/local/share/ca-certificates ішіндегі сертификатқа сенімді алу оны жояды — жою сияқты.',
    'linux-others-cut': '{file} ішінде басқа сертификаттар да бар ({count}): файлдан тек осы сертификат қиылып алынады, қалғандары қалады.',
    'linux-others-kept': '{file} ішінде басқа сертификаттар да бар ({count}): оларды бұдан бөлу мүмкін емес, сондықтан файл жойылмайды.',
    'linux-update-not-run': '«{update}» командасын басқа жүйе түбіріне ({root}) бағыттау мүмкін емес, сондықтан ол орындалмайды: {bundle} жинағы сол жүйеде команда орындалғанша сертификатты сақтайды.',
    'linux-confined': 'CertAudit бұл қойманы осы жерден өзгертпейді: {reason} Оны сол жүйенің өзінде өзгертіңіз.',
  },
})
