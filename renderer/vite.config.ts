/**
 * Builds the renderer into dist/renderer as plain files that work from file:// (Electron's window and
 * the end-to-end tests): relative asset paths, one classic script and one stylesheet file, nothing
 * inline (the CSP in index.html allows only 'self'): no module preload polyfill, and CSS kept in one
 * file (an IIFE build would otherwise inject it with a <style> the CSP blocks).
 */
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

/**
 * Chromium refuses module scripts and `crossorigin` stylesheets from file:// (origin "null" fails the
 * CORS check), so the bundle is one classic script: built as an IIFE and loaded with `defer`.
 */
function classicScriptForFileUrls(): Plugin {
  return {
    name: 'certaudit:classic-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/<script type="module" crossorigin/g, '<script defer').replace(/ crossorigin(?=[ >])/g, ''),
    },
  }
}

export default defineConfig({
  // Vite runs this file in Node; import.meta.dirname keeps node:* imports out of renderer/ (lint).
  root: import.meta.dirname,
  base: './',
  plugins: [react(), classicScriptForFileUrls()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'chrome120',
    sourcemap: false,
    cssCodeSplit: false,
    rollupOptions: { output: { format: 'iife' } },
  },
})
