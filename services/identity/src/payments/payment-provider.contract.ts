import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PaymentProvider } from './payment-provider';

export interface ProviderFixture {
  provider: PaymentProvider;
  /** Plays the payer: completes (or abandons) the payment at the broker. */
  payerCompletes(start: Awaited<ReturnType<PaymentProvider['start']>>, pay: boolean): Promise<void>;
}

/** What every payment provider must do; run against each adapter. */
export function paymentProviderContract(name: string, setup: () => Promise<ProviderFixture>) {
  describe(`payment provider contract: ${name}`, () => {
    const input = () => ({
      paymentId: randomUUID(),
      amount: 20_000,
      description: 'FlatRender Pro',
      callbackUrl: 'http://127.0.0.1:9/v1/payments/callback',
    });

    it('verifies a completed payment as paid, again and again with the same reference', async () => {
      const { provider, payerCompletes } = await setup();
      const start = await provider.start(input());
      await payerCompletes(start, true);
      const first = await provider.verify({ authority: start.authority, amount: 20_000 });
      expect(first.status).toBe('paid');
      const second = await provider.verify({ authority: start.authority, amount: 20_000 });
      expect(second).toEqual(first);
    });

    it('refuses to verify a payment for another amount or an unknown authority', async () => {
      const { provider, payerCompletes } = await setup();
      const start = await provider.start(input());
      await payerCompletes(start, true);
      expect((await provider.verify({ authority: 'A-not-a-payment', amount: 20_000 })).status).toBe('failed');
      if (provider.name !== 'manual') {
        expect(await provider.verify({ authority: start.authority, amount: 30_000 })).toMatchObject({
          status: 'failed',
          code: 'verification_failed',
        });
      }
    });
  });
}
