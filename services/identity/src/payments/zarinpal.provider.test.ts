import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startZarinpalProtocolServer,
  type ZarinpalProtocolServer,
} from '../../test/zarinpal-protocol.server';
import { ManualProvider } from './manual.provider';
import { PaymentProviderUnavailableError } from './payment-provider';
import { paymentProviderContract } from './payment-provider.contract';
import { PaymentRequestRefusedError, ZarinpalProvider } from './zarinpal.provider';

let server: ZarinpalProtocolServer;
beforeAll(async () => {
  server = await startZarinpalProtocolServer();
});
afterAll(() => server?.close());

const zarinpal = () => new ZarinpalProvider({ merchantId: server.merchantId, baseUrl: `${server.url}/` });

paymentProviderContract('zarinpal (local protocol server)', async () => ({
  provider: zarinpal(),
  async payerCompletes(start, pay) {
    if (start.kind !== 'redirect') throw new Error('zarinpal must redirect the payer');
    const res = await fetch(`${start.redirectUrl}${pay ? '' : '?pay=0'}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
  },
}));

paymentProviderContract('manual', async () => ({
  provider: new ManualProvider(),
  async payerCompletes(start) {
    expect(start.kind).toBe('completed');
  },
}));

describe('ZarinPal adapter', () => {
  it('redirects to StartPay under the configured base URL and sends the payer back with the authority', async () => {
    const start = await zarinpal().start({
      paymentId: '6a1b2c3d-0000-4000-8000-000000000001',
      amount: 2_000_000,
      description: 'Pro',
      callbackUrl: 'http://127.0.0.1:9/v1/payments/callback',
    });
    expect(start.kind).toBe('redirect');
    if (start.kind !== 'redirect') return;
    expect(start.authority).toMatch(/^A[0-9a-f]{35}$/);
    expect(start.redirectUrl).toBe(`${server.url}/pg/StartPay/${start.authority}`);
    const back = await fetch(start.redirectUrl, { redirect: 'manual' });
    const location = new URL(back.headers.get('location') ?? '');
    expect(location.searchParams.get('Authority')).toBe(start.authority);
    expect(location.searchParams.get('Status')).toBe('OK');
  });

  it('maps an abandoned payment to declined and keeps the card mask and ref_id of a paid one', async () => {
    const provider = zarinpal();
    const abandoned = await provider.start({
      paymentId: 'x',
      amount: 50_000,
      description: 'd',
      callbackUrl: 'http://a/b',
    });
    if (abandoned.kind !== 'redirect') throw new Error('expected a redirect');
    await fetch(`${abandoned.redirectUrl}?pay=0`, { redirect: 'manual' });
    expect(await provider.verify({ authority: abandoned.authority, amount: 50_000 })).toMatchObject({
      status: 'failed',
      code: 'declined',
    });
    const paid = await provider.start({
      paymentId: 'y',
      amount: 50_000,
      description: 'd',
      callbackUrl: 'http://a/b',
    });
    if (paid.kind !== 'redirect') throw new Error('expected a redirect');
    await fetch(paid.redirectUrl, { redirect: 'manual' });
    const verified = await provider.verify({ authority: paid.authority, amount: 50_000 });
    expect(verified).toEqual({
      status: 'paid',
      reference: String(server.transactions.get(paid.authority)?.refId),
      cardMask: '502229******5995',
    });
  });

  it('reports a refused request and an unreachable broker as different errors', async () => {
    const below = zarinpal().start({
      paymentId: 'z',
      amount: 100,
      description: 'd',
      callbackUrl: 'http://a/b',
    });
    await expect(below).rejects.toBeInstanceOf(PaymentRequestRefusedError);
    const wrongMerchant = new ZarinpalProvider({
      merchantId: '00000000-0000-4000-8000-000000000000',
      baseUrl: server.url,
    });
    await expect(
      wrongMerchant.start({ paymentId: 'z', amount: 20_000, description: 'd', callbackUrl: 'http://a/b' }),
    ).rejects.toBeInstanceOf(PaymentRequestRefusedError);
    server.setUnavailable(true);
    try {
      await expect(zarinpal().verify({ authority: 'A1', amount: 20_000 })).rejects.toBeInstanceOf(
        PaymentProviderUnavailableError,
      );
    } finally {
      server.setUnavailable(false);
    }
    const nowhere = new ZarinpalProvider({
      merchantId: server.merchantId,
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 2000,
    });
    await expect(nowhere.verify({ authority: 'A1', amount: 20_000 })).rejects.toBeInstanceOf(
      PaymentProviderUnavailableError,
    );
  });
});
