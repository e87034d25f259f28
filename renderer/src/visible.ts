/**
 * Text people see in the window: certificate names, paths, tool output and problems shown with every
 * control, bidi and invisible character written as `⟨U+202E⟩`, exactly as the CLI and the HTML report
 * show them. The module itself is src/audit/visible.ts, bundled here: the one runtime import from src/
 * (eslint.config.js says why); it imports nothing, so nothing of the engine comes with it.
 *
 * Only for display: ids, locations and skip lists the window sends back to the engine stay raw.
 */
export { visible } from '../../src/audit/visible'
