// Preloaded by `npm run bench` (node --import) into each `certaudit scan` it times: when the process
// exits, writes its peak resident memory (kilobytes) to the file named by CERTAUDIT_BENCH_PEAK_RSS.
// The CLI itself knows nothing of it.
//
// On Linux the peak is VmHWM from /proc/self/status: getrusage's maxrss is not reset by exec, so a
// process started by the bench (which holds 100,000 certificates) would report the bench's own size.
import { readFileSync, writeFileSync } from 'node:fs'

const file = process.env.CERTAUDIT_BENCH_PEAK_RSS

function peakKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (match) return Number(match[1])
  } catch {
    // not Linux: getrusage is the best there is
  }
  return process.resourceUsage().maxRSS
}

if (file) process.on('exit', () => writeFileSync(file, String(peakKb())))
