import { describe, expect, it } from 'vitest';
import { addressProblem, literalAddress, parseAllowedNetworks, urlProblem } from './url-policy.ts';

const none = parseAllowedNetworks(undefined);

describe('webhook URL policy', () => {
  it('takes http and https URLs only, without credentials', () => {
    expect(urlProblem('https://hooks.example.org/slipway')).toBeUndefined();
    expect(urlProblem('http://hooks.example.org:8080/x?y=1')).toBeUndefined();
    expect(urlProblem('ftp://hooks.example.org/')).toMatch(/only http/);
    expect(urlProblem('file:///etc/passwd')).toMatch(/only http/);
    expect(urlProblem('gopher://127.0.0.1:6379/_FLUSHALL')).toMatch(/only http/);
    expect(urlProblem('https://user:pw@hooks.example.org/')).toMatch(/user name or password/);
    expect(urlProblem('hooks.example.org/x')).toBe('it is not a URL');
  });

  it('refuses loopback, link-local, private, CGNAT and mapped addresses by default', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ])
      expect(addressProblem(a, none), a).toMatch(/inside the platform's own networks/);
    for (const a of ['192.0.2.10', '172.32.0.1', '8.8.8.8', '2001:db8::1'])
      expect(addressProblem(a, none), a).toBeUndefined();
  });

  it('lets the operator allow ranges, and only those', () => {
    const allowed = parseAllowedNetworks('127.0.0.1, 10.20.0.0/16,fd00::/8');
    expect(addressProblem('127.0.0.1', allowed)).toBeUndefined();
    expect(addressProblem('127.0.0.2', allowed)).toBeDefined();
    expect(addressProblem('10.20.3.4', allowed)).toBeUndefined();
    expect(addressProblem('10.21.0.1', allowed)).toBeDefined();
    expect(addressProblem('fd12::1', allowed)).toBeUndefined();
    expect(addressProblem('::1', allowed)).toBeDefined();
  });

  it('names a bad allowed range', () => {
    expect(() => parseAllowedNetworks('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not an address');
    expect(() => parseAllowedNetworks('intranet')).toThrow('"intranet"');
    expect(() => parseAllowedNetworks('10.0.0.0/')).toThrow();
  });

  it('reads a literal address from a URL, brackets and all', () => {
    expect(literalAddress(new URL('http://127.0.0.1:9/x'))).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://[::1]:9/x'))).toBe('::1');
    expect(literalAddress(new URL('http://hooks.example.org/'))).toBeUndefined();
  });
});
