import { createContext, useContext } from 'react'
import { createTranslator, type Translator } from './i18n'

const I18nContext = createContext<Translator>(createTranslator('en'))

export const I18nProvider = I18nContext.Provider

/** The translator of the language chosen in the window. */
export function useI18n(): Translator {
  return useContext(I18nContext)
}
