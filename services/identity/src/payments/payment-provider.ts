import type { PAYMENT_FAILURE_CODES } from '@flatrender/contracts';

export type PaymentFailureCode = (typeof PAYMENT_FAILURE_CODES)[number];

export interface StartPaymentInput {
  paymentId: string;
  /** Rial minor units. */
  amount: number;
  description: string;
  /** Where the broker sends the payer back. */
  callbackUrl: string;
  email?: string;
}

export type StartPaymentResult =
  /** The payer completes the payment at the broker; the broker's id of it is `authority`. */
  | { kind: 'redirect'; authority: string; redirectUrl: string }
  /** Nothing left to do for the payer (manual payments recorded by an admin). */
  | { kind: 'completed'; authority: string };

export interface VerifyPaymentInput {
  authority: string;
  amount: number;
}

export type VerifyPaymentResult =
  | { status: 'paid'; reference: string; cardMask?: string }
  | { status: 'failed'; code: PaymentFailureCode; message: string };

/** The broker could not be asked (network, 5xx); the payment stays open and is asked again later. */
export class PaymentProviderUnavailableError extends Error {
  readonly code = 'payment_provider_unavailable';
}

/**
 * A payment broker. `verify` is the only source of truth about money (never the browser's return
 * query), and must be safe to call again for the same payment: a payment verified before still
 * verifies as paid with the same reference.
 */
export interface PaymentProvider {
  readonly name: 'zarinpal' | 'manual';
  start(input: StartPaymentInput): Promise<StartPaymentResult>;
  verify(input: VerifyPaymentInput): Promise<VerifyPaymentResult>;
}
