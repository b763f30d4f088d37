import type {
  PaymentProvider,
  StartPaymentInput,
  StartPaymentResult,
  VerifyPaymentInput,
  VerifyPaymentResult,
} from './payment-provider';

const PREFIX = 'manual-';

/**
 * Payments recorded by a platform admin (bank transfer, cash, credit): complete once recorded, so they
 * verify as paid; the admin's own reference, when given, is kept on the payment by the caller.
 */
export class ManualProvider implements PaymentProvider {
  readonly name = 'manual' as const;

  async start(input: StartPaymentInput): Promise<StartPaymentResult> {
    return { kind: 'completed', authority: `${PREFIX}${input.paymentId}` };
  }

  async verify(input: VerifyPaymentInput): Promise<VerifyPaymentResult> {
    if (!input.authority.startsWith(PREFIX) || input.amount <= 0) {
      return { status: 'failed', code: 'verification_failed', message: 'not a manual payment' };
    }
    return { status: 'paid', reference: input.authority };
  }
}
