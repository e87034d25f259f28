import { defineNotices } from '../shared/notices.js'

/** What the file store tells people before a change, in every language. */
export const fileNotices = defineNotices({
  en: {
    'named-file': '{location} was named on the command line; it is not a trust store, so there is nothing to remove it from.',
  },
  ru: {
    'named-file': '{location} указан в командной строке; это не хранилище доверия, удалять сертификат неоткуда.',
  },
  kk: {
    'named-file': '{location} командалық жолда аталған; бұл сенім қоймасы емес, сондықтан сертификатты жоятын жер жоқ.',
  },
})
