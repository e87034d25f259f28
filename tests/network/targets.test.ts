import { describe, expect, it } from 'vitest'
import { parseConnectTo, parseHostTarget, routeFor, type ConnectToRule } from '../../src/network/targets.js'

const rule = (spec: string): ConnectToRule => {
  const parsed = parseConnectTo(spec)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.value
}

describe('hosts as people type them', () => {
  it.each([
    ['google.com', 'google.com', 443],
    ['Google.COM.', 'google.com', 443],
    ['mail.ru:8443', 'mail.ru', 8443],
    ['https://vk.com/feed', 'vk.com', 443],
    ['https://x.com:444/', 'x.com', 444],
    ['[::1]:8443', '::1', 8443],
    ['::1', '::1', 443],
    ['127.0.0.1:9', '127.0.0.1', 9],
    ['қазақстан.kz', 'xn--80aaa0a6awh12ed.kz', 443],
  ])('%s → %s:%d', (text, host, port) => {
    expect(parseHostTarget(text)).toEqual({ ok: true, value: { host, port } })
  })

  it.each([
    ['', 'is not a host name'],
    ['http://google.com', 'only https://'],
    ['google.com:0', 'is not a port number'],
    ['google.com:70000', 'is not a port number'],
    ['goo gle.com', 'is not a valid host name'],
    ['[not-ip]:443', 'is not an IPv6 address'],
  ])('refuses %j with a message', (text, message) => {
    const parsed = parseHostTarget(text)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.error).toContain(message)
  })
})

describe('--connect-to HOST:PORT:ADDRESS:PORT, as in curl', () => {
  it('parses all four fields, IPv6 in brackets and empty fields', () => {
    expect(rule('google.com:443:127.0.0.1:8443')).toMatchObject({ host: 'google.com', port: 443, toHost: '127.0.0.1', toPort: 8443 })
    expect(rule('::[::1]:8443')).toMatchObject({ host: null, port: null, toHost: '::1', toPort: 8443 })
    expect(rule('vk.com:443::8443')).toMatchObject({ host: 'vk.com', toHost: null, toPort: 8443 })
  })

  it.each([
    ['google.com:443:127.0.0.1', 'must be HOST:PORT:ADDRESS:PORT'],
    ['google.com:443:127.0.0.1:8443:9', 'must be HOST:PORT:ADDRESS:PORT'],
    ['google.com:443::', 'sends the connection nowhere new'],
    ['google.com:https:127.0.0.1:8443', '"https" is not a port number'],
    ['google.com:443:127.0.0.1:99999', '"99999" is not a port number'],
    ['bad host:443:127.0.0.1:8443', 'is not a valid host name'],
    ['::[::1:8443', 'must be HOST:PORT:ADDRESS:PORT'],
  ])('refuses %j: %s', (spec, message) => {
    const parsed = parseConnectTo(spec)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.error).toContain(message)
  })

  it('routes by the first matching rule and keeps what the rule leaves empty', () => {
    const rules = [rule('google.com:443:127.0.0.1:1001'), rule('::127.0.0.2:1002'), rule('vk.com:443:127.0.0.3:1003')]
    expect(routeFor({ host: 'google.com', port: 443 }, rules)).toMatchObject({ address: '127.0.0.1', port: 1001 })
    expect(routeFor({ host: 'vk.com', port: 443 }, rules)).toMatchObject({ address: '127.0.0.2', port: 1002 })
    expect(routeFor({ host: 'mail.ru', port: 443 }, [rule('mail.ru:443::8443')])).toEqual({ address: 'mail.ru', port: 8443, rule: expect.anything() })
    expect(routeFor({ host: 'mail.ru', port: 443 }, [])).toEqual({ address: 'mail.ru', port: 443, rule: null })
  })
})
