import { describe, expect, it } from 'vitest';
import { checkAddress, checkUrl } from './address-policy';

describe('checkAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (ip) => {
      expect(checkAddress(ip, false)).toEqual({ allowed: true });
    },
  );

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
  ])('refuses %s (%s) unless private targets are allowed', (ip, kind) => {
    const refused = checkAddress(ip, false);
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.reason).toContain(kind);
    expect(checkAddress(ip, true)).toEqual({ allowed: true });
  });

  it.each([
    '169.254.169.254',
    '::ffff:169.254.169.254',
    'fd00:ec2::254',
    '0.0.0.0',
    '::',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.10',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
  ])('never allows %s, whatever the setting', (ip) => {
    expect(checkAddress(ip, true).allowed).toBe(false);
    expect(checkAddress(ip, false).allowed).toBe(false);
  });

  it('names the metadata address as such', () => {
    const verdict = checkAddress('169.254.169.254', true);
    expect(verdict.allowed === false && verdict.reason).toContain('metadata');
  });
});

describe('checkUrl', () => {
  const strict = { allowPrivate: false, allowedPorts: [80, 443, 8080, 8443] };

  it('accepts http and https on allowed ports, keeping the host for resolution', () => {
    const verdict = checkUrl('https://hooks.example.com/in?x=1', strict);
    expect(verdict).toMatchObject({ allowed: true, host: 'hooks.example.com', port: 443, ipLiteral: false });
    expect(checkUrl('http://hooks.example.com:8080/', strict)).toMatchObject({ allowed: true, port: 8080 });
  });

  it.each([
    ['ftp://example.com/', 'only http and https'],
    ['file:///etc/passwd', 'only http and https'],
    ['https://user:pw@example.com/', 'credentials'],
    ['https://example.com:22/', 'port 22 is not allowed'],
    ['http://127.0.0.1/', 'loopback'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['not a url', 'not a valid URL'],
  ])('refuses %s', (url, reason) => {
    const verdict = checkUrl(url, strict);
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed === false && verdict.reason).toContain(reason);
  });

  it('lets an operator open any port and private targets', () => {
    expect(
      checkUrl('http://127.0.0.1:34567/hook', { allowPrivate: true, allowedPorts: 'any' }),
    ).toMatchObject({
      allowed: true,
      ipLiteral: true,
      port: 34567,
    });
  });
});
