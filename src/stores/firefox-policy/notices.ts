import { defineNotices } from '../shared/notices.js'

/** What the firefox-policy store tells people before a change, in every language. */
export const firefoxPolicyNotices = defineNotices({
  en: {
    'firefox-policy': 'The Firefox policy file {location} installs this certificate into every profile each time Firefox starts, so removing it from profiles does not last. Remove it from "Certificates" → "Install" in that file (if your organisation manages it, ask them).',
  },
  ru: {
    'firefox-policy': 'Файл политик Firefox {location} устанавливает этот сертификат во все профили при каждом запуске Firefox, поэтому удаление из профилей не поможет надолго. Удалите его из раздела «Certificates» → «Install» этого файла (если файлом управляет ваша организация, обратитесь к ней).',
  },
  kk: {
    'firefox-policy': '{location} Firefox саясат файлы Firefox әр іске қосылған сайын бұл сертификатты барлық профильге орнатады, сондықтан оны профильдерден жою ұзаққа бармайды. Оны сол файлдағы «Certificates» → «Install» бөлімінен алып тастаңыз (файлды ұйымыңыз басқарса, соларға жүгініңіз).',
  },
})
