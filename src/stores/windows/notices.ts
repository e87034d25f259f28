import { defineNotices } from '../shared/notices.js'

/** What the windows store tells people before a change, in every language. */
export const windowsNotices = defineNotices({
  en: {
    'windows-unknown-place': 'Windows trusts this root, but CertAudit could not tell which certificate store holds it (a smart card, or a store it does not read). Look for it in certmgr.msc (this user) or certlm.msc (this computer) under "Trusted Root Certification Authorities".',
    'windows-managed': 'Your organisation manages {place} ({manager}): Windows puts its certificates back at every policy refresh, so CertAudit does not change it. Ask your IT department to remove the certificate from the policy.',
    'windows-disallowed': '{place} is the list of certificates Windows refuses: this certificate is distrusted already.',
    'windows-uac': 'Windows asks for administrator rights (UAC) for this change.',
    'windows-confirm': 'Windows shows its own confirmation window for this change: choose "Yes".',
    'windows-authroot': 'Windows\' automatic root certificate update can bring back a deleted third-party root; distrusting it lasts.',
  },
  ru: {
    'windows-unknown-place': 'Windows доверяет этому корневому сертификату, но CertAudit не смог определить, в каком хранилище он лежит (смарт-карта или хранилище, которое он не читает). Найдите его в certmgr.msc (этот пользователь) или certlm.msc (этот компьютер) в разделе «Доверенные корневые центры сертификации».',
    'windows-managed': 'Хранилищем {place} управляет ваша организация ({manager}): Windows возвращает его сертификаты при каждом обновлении политики, поэтому CertAudit его не изменяет. Попросите ваш ИТ-отдел убрать сертификат из политики.',
    'windows-disallowed': '{place} — список сертификатов, которые Windows отвергает: доверие к этому сертификату уже отозвано.',
    'windows-uac': 'Для этого изменения Windows запросит права администратора (UAC).',
    'windows-confirm': 'Windows покажет собственное окно подтверждения: выберите «Да».',
    'windows-authroot': 'Автоматическое обновление корневых сертификатов Windows может вернуть удалённый сторонний корневой сертификат; отзыв доверия сохраняется.',
  },
  kk: {
    'windows-unknown-place': 'Windows бұл түбірлік сертификатқа сенеді, бірақ CertAudit оның қай қоймада тұрғанын анықтай алмады (смарт-карта немесе ол оқымайтын қойма). Оны certmgr.msc (осы пайдаланушы) немесе certlm.msc (осы компьютер) ішінде «Сенімді түбірлік сертификаттау орталықтары» бөлімінен іздеңіз.',
    'windows-managed': '{place} қоймасын ұйымыңыз басқарады ({manager}): Windows саясат жаңарған сайын оның сертификаттарын қайтарады, сондықтан CertAudit оны өзгертпейді. Сертификатты саясаттан алып тастауды IT бөліміңізден сұраңыз.',
    'windows-disallowed': '{place} — Windows қабылдамайтын сертификаттар тізімі: бұл сертификатқа сенім алынып қойған.',
    'windows-uac': 'Бұл өзгеріс үшін Windows әкімші құқықтарын (UAC) сұрайды.',
    'windows-confirm': 'Windows өзінің растау терезесін көрсетеді: «Иә» батырмасын таңдаңыз.',
    'windows-authroot': 'Windows түбірлік сертификаттарды автоматты жаңартуы жойылған үшінші тарап түбірлік сертификатын қайтаруы мүмкін; сенімді алу сақталады.',
  },
})
