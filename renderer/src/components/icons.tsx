/**
 * Line icons drawn inline (no image files, nothing for the CSP to allow). Always decorative: the text
 * next to an icon says the same thing, so colour and shape are never the only signal.
 */
import type { ReactElement } from 'react'
import type { StoreIcon } from '../labels'

export type IconName =
  | StoreIcon
  | 'shield'
  | 'critical'
  | 'high'
  | 'medium'
  | 'review'
  | 'info'
  | 'clean'
  | 'check'
  | 'cross'
  | 'minus'
  | 'undo'
  | 'hand'
  | 'skip'
  | 'lock'
  | 'warning'
  | 'back'
  | 'folder'
  | 'external'

const PATHS: Readonly<Record<IconName, ReactElement>> = {
  shield: <path d="M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6l7-3zM9 12l2 2 4-4" />,
  critical: <path d="M8.5 3h7L21 8.5v7L15.5 21h-7L3 15.5v-7L8.5 3zM12 7.5v5.5M12 16.5v.5" />,
  high: <path d="M12 3.5l9.5 16.5h-19L12 3.5zM12 10v4.5M12 17.5v.5" />,
  medium: <path d="M12 4v16M7 20h10M4 8h16M4 8l-2.5 6a3 3 0 005 0L4 8zM20 8l-2.5 6a3 3 0 005 0L20 8z" />,
  review: <path d="M10.5 4a6.5 6.5 0 110 13 6.5 6.5 0 010-13zM15.5 15.5L21 21" />,
  info: <path d="M12 3a9 9 0 110 18 9 9 0 010-18zM12 11v6M12 7.5v.5" />,
  clean: <path d="M12 3a9 9 0 110 18 9 9 0 010-18zM8 12.5l3 3 5-6" />,
  check: <path d="M5 12.5l4.5 4.5L19 7.5" />,
  cross: <path d="M6 6l12 12M18 6L6 18" />,
  minus: <path d="M6 12h12" />,
  undo: <path d="M9 5L4 10l5 5M4 10h10a5 5 0 010 10h-3" />,
  hand: <path d="M8 13V6.5a1.5 1.5 0 013 0V11M11 10.5V5a1.5 1.5 0 013 0v6M14 10.5V6.5a1.5 1.5 0 013 0V14c0 4-2.5 7-6.5 7C7 21 5 18.5 4 16l-1-3a1.5 1.5 0 012.8-1L8 15" />,
  skip: <path d="M5 12h11M12 7l5 5-5 5M20 6v12" />,
  lock: <path d="M6 11h12v10H6V11zM8.5 11V8a3.5 3.5 0 017 0v3M12 15v2.5" />,
  warning: <path d="M12 3.5l9.5 16.5h-19L12 3.5zM12 10v4.5M12 17.5v.5" />,
  back: <path d="M15 5l-7 7 7 7" />,
  folder: <path d="M3 6.5h6l2 2.5h10v10H3V6.5z" />,
  external: <path d="M14 4h6v6M20 4l-9 9M18 14v6H4V6h6" />,
  system: <path d="M3 4.5h18v11.5H3V4.5zM9 20h6M12 16v4" />,
  firefox: <path d="M3.5 5h17v14h-17V5zM3.5 9h17M6 7h.5M8.5 7h.5" />,
  chromium: <path d="M12 3a9 9 0 110 18 9 9 0 010-18zM12 8.5a3.5 3.5 0 110 7 3.5 3.5 0 010-7zM12 8.5h8.5M9 14l-4.5 6M15 14l-1.5 7" />,
  thunderbird: <path d="M3 6h18v12H3V6zM3 6l9 7 9-7" />,
  java: <path d="M5 10h11v5a5 5 0 01-5 5h-1a5 5 0 01-5-5v-5zM16 11.5h1.5a2 2 0 010 4H16M9 3.5c-1 1.5 1 2.5 0 4M12.5 3.5c-1 1.5 1 2.5 0 4" />,
  variable: <path d="M3 5h18v14H3V5zM7 10l3 2-3 2M12 15h5" />,
  runtime: <path d="M8 7l-5 5 5 5M16 7l5 5-5 5M13.5 4.5l-3 15" />,
  file: <path d="M6 3h8l4 4v14H6V3zM14 3v4h4M9 12h6M9 16h6" />,
  policy: <path d="M6 3h12v18H6V3zM9 8h6M9 12h6M9 16h3" />,
  bundle: <path d="M8 3h11v14H8V3zM5 6v15h11M11 7h5M11 10h5M11 13h3" />,
}

export function Icon({ name, className }: { readonly name: IconName; readonly className?: string }): ReactElement {
  return (
    <svg className={`icon${className ? ` ${className}` : ''}`} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {PATHS[name]}
    </svg>
  )
}
