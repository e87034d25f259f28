// Stands in for `got` (an HTTP client) inside electronegativity's process: every request fails at once, with
// no network. Electronegativity fetches its translations from S3 at start (it uses its bundled en-US ones when
// that fails) and Electron's release list (AvailableSecurityFixesGlobalCheck, which CertAudit excludes). Its
// got 11 crashes on Node.js 24 when a request cannot connect ("The `onCancel` handler was attached after the
// promise settled") instead of failing; and a lint step should not reach the internet anyway.
const refuse = () => Promise.reject(new Error('CertAudit runs electronegativity offline'))
module.exports = Object.assign(refuse, { get: refuse, head: refuse })
