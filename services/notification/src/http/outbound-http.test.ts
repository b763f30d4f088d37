import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpRecorder, startHttpRecorder } from '../../test/support/http-recorder';
import { selfSignedCertificate } from '../../test/support/tls-cert';
import { BlockedTargetError, OutboundError, OutboundHttp, type Resolver } from './outbound-http';

/** A resolver with fixed answers, standing in for DNS (names of the reserved .test domain). */
const resolver =
  (answers: Record<string, string[]>): Resolver =>
  async (host) => {
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('OutboundHttp', () => {
  let server: HttpRecorder;
  let tlsServer: HttpRecorder;
  const tls = selfSignedCertificate();
  beforeAll(async () => {
    server = await startHttpRecorder();
    tlsServer = await startHttpRecorder({ key: tls.key, cert: tls.cert });
    server.respond('/slow', () => ({ status: 200, delayMs: 2_000 }));
    server.respond('/down', () => ({ status: 503, body: { error: 'down' } }));
  });
  afterAll(async () => {
    await server?.close();
    await tlsServer?.close();
    tls.cleanup();
  });

  it('connects to the address it checked, whatever the name would resolve to later (pinning)', async () => {
    let lookups = 0;
    const http = new OutboundHttp(
      { allowPrivate: true, allowedPorts: 'any', timeoutMs: 5_000 },
      async (host) => {
        lookups++;
        return resolver({ 'hooks.example.test': ['127.0.0.1'] })(host);
      },
    );
    const answer = await http.post(
      `http://hooks.example.test:${server.port}/in`,
      { 'content-type': 'application/json' },
      '{"a":1}',
    );
    expect(answer.statusCode).toBe(200);
    expect(lookups).toBe(1);
    const [request] = server.on('/in');
    expect(request!.headers.host).toBe(`hooks.example.test:${server.port}`);
    expect(request!.body.toString()).toBe('{"a":1}');
  });

  it('refuses private targets unless the operator allows them', async () => {
    const strict = new OutboundHttp(
      { allowPrivate: false, allowedPorts: 'any', timeoutMs: 5_000 },
      resolver({ 'inside.example.test': ['10.1.2.3'], 'mixed.example.test': ['93.184.216.34', '127.0.0.1'] }),
    );
    await expect(strict.target(`http://127.0.0.1:${server.port}/`)).rejects.toThrow(/loopback/);
    await expect(strict.target('http://inside.example.test/')).rejects.toThrow(
      /resolves to 10\.1\.2\.3 is a private address/,
    );
    // One bad answer among good ones refuses the name (a rebinding name may alternate).
    await expect(strict.target('http://mixed.example.test/')).rejects.toBeInstanceOf(BlockedTargetError);
    await expect(strict.target('http://nowhere.example.test/')).rejects.toThrow(/does not resolve/);
    const refused = await strict.post(`http://127.0.0.1:${server.port}/never`, {}, '{}').catch((e) => e);
    expect(refused).toBeInstanceOf(OutboundError);
    expect(refused.errorCode).toBe('blocked_address');
    expect(server.on('/never')).toHaveLength(0);
  });

  it('returns non-2xx answers, and classifies timeouts and refused connections', async () => {
    const http = new OutboundHttp({ allowPrivate: true, allowedPorts: 'any', timeoutMs: 300 });
    expect((await http.post(`${server.origin}/down`, {}, '{}')).statusCode).toBe(503);
    const slow = await http.post(`${server.origin}/slow`, {}, '{}').catch((e) => e);
    expect(slow).toMatchObject({ errorCode: 'timeout' });
    expect(slow.durationMs).toBeGreaterThanOrEqual(250);
    const closed = await http.post('http://127.0.0.1:1/x', {}, '{}').catch((e) => e);
    expect(closed).toMatchObject({ errorCode: 'connection_failed' });
  });

  it('verifies TLS certificates, trusting extra authorities only when configured', async () => {
    const pinned = resolver({ 'push.example.test': ['127.0.0.1'] });
    const url = `https://push.example.test:${tlsServer.port}/push`;
    const untrusting = new OutboundHttp(
      { allowPrivate: true, allowedPorts: 'any', timeoutMs: 5_000 },
      pinned,
    );
    expect(await untrusting.post(url, {}, 'x').catch((e) => e)).toMatchObject({ errorCode: 'tls_error' });
    const trusting = new OutboundHttp(
      { allowPrivate: true, allowedPorts: 'any', timeoutMs: 5_000, extraCa: tls.cert },
      pinned,
    );
    expect((await trusting.post(url, {}, 'x')).statusCode).toBe(200);
    // The certificate is checked against the name, not the pinned address.
    const wrongName = new OutboundHttp(
      { allowPrivate: true, allowedPorts: 'any', timeoutMs: 5_000, extraCa: tls.cert },
      resolver({ 'other.example.test': ['127.0.0.1'] }),
    );
    const mismatch = await wrongName
      .post(`https://other.example.test:${tlsServer.port}/push`, {}, 'x')
      .catch((e) => e);
    expect(mismatch).toMatchObject({ errorCode: 'tls_error' });
  });
});
