import { z } from 'zod';
import {
  type PaymentFailureCode,
  type PaymentProvider,
  PaymentProviderUnavailableError,
  type StartPaymentInput,
  type StartPaymentResult,
  type VerifyPaymentInput,
  type VerifyPaymentResult,
} from './payment-provider';

export interface ZarinpalOptions {
  merchantId: string;
  /** `https://payment.zarinpal.com`, `https://sandbox.zarinpal.com`, or a test server. */
  baseUrl: string;
  timeoutMs?: number;
}

export const ZARINPAL_PRODUCTION_URL = 'https://payment.zarinpal.com';
export const ZARINPAL_SANDBOX_URL = 'https://sandbox.zarinpal.com';

/** ZarinPal answers `{ data, errors }`: data is an object on success, errors an object on failure. */
const errorsSchema = z.object({ code: z.coerce.number(), message: z.string().optional() }).loose();
const requestAnswer = z.object({
  data: z.union([
    z.object({ code: z.coerce.number(), authority: z.string().min(1) }).loose(),
    z.array(z.unknown()),
  ]),
  errors: z.union([errorsSchema, z.array(z.unknown())]),
});
const verifyAnswer = z.object({
  data: z.union([
    z
      .object({
        code: z.coerce.number(),
        ref_id: z.union([z.number(), z.string()]).optional(),
        card_pan: z.string().optional(),
      })
      .loose(),
    z.array(z.unknown()),
  ]),
  errors: z.union([errorsSchema, z.array(z.unknown())]),
});

/** Codes of ZarinPal's v4 API that matter here. */
const PAID = 100;
const ALREADY_VERIFIED = 101;
const FAILURE_CODES: Record<number, PaymentFailureCode> = {
  [-50]: 'verification_failed', // amount differs from the request's
  [-51]: 'declined', // the payer did not pay (or cancelled)
  [-53]: 'verification_failed', // authority belongs to another merchant
  [-54]: 'verification_failed', // invalid authority
  [-55]: 'expired', // transaction not found / expired
};

/**
 * ZarinPal's documented v4 flow: `POST /pg/v4/payment/request.json` gives an authority, the payer is
 * sent to `/pg/StartPay/<authority>`, ZarinPal sends them back to the callback with `Authority` and
 * `Status`, and `POST /pg/v4/payment/verify.json` settles it (100 paid, 101 paid and already verified).
 */
export class ZarinpalProvider implements PaymentProvider {
  readonly name = 'zarinpal' as const;
  private readonly baseUrl: string;

  constructor(private readonly options: ZarinpalOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async start(input: StartPaymentInput): Promise<StartPaymentResult> {
    const body = {
      merchant_id: this.options.merchantId,
      amount: input.amount,
      currency: 'IRR',
      description: input.description,
      callback_url: input.callbackUrl,
      metadata: { order_id: input.paymentId, ...(input.email ? { email: input.email } : {}) },
    };
    const answer = requestAnswer.safeParse(await this.post('/pg/v4/payment/request.json', body));
    if (!answer.success)
      throw new PaymentProviderUnavailableError('ZarinPal answered the request unexpectedly');
    const { data, errors } = answer.data;
    if (Array.isArray(data) || data.code !== PAID) {
      const code = Array.isArray(errors) ? undefined : errors.code;
      throw new PaymentRequestRefusedError(
        `ZarinPal refused the payment request (code ${code ?? 'unknown'})`,
      );
    }
    return {
      kind: 'redirect',
      authority: data.authority,
      redirectUrl: `${this.baseUrl}/pg/StartPay/${encodeURIComponent(data.authority)}`,
    };
  }

  async verify(input: VerifyPaymentInput): Promise<VerifyPaymentResult> {
    const raw = await this.post('/pg/v4/payment/verify.json', {
      merchant_id: this.options.merchantId,
      amount: input.amount,
      authority: input.authority,
    });
    const answer = verifyAnswer.safeParse(raw);
    if (!answer.success)
      throw new PaymentProviderUnavailableError('ZarinPal answered the verification unexpectedly');
    const { data, errors } = answer.data;
    if (!Array.isArray(data) && (data.code === PAID || data.code === ALREADY_VERIFIED)) {
      if (data.ref_id === undefined)
        throw new PaymentProviderUnavailableError('ZarinPal verified without ref_id');
      return {
        status: 'paid',
        reference: String(data.ref_id),
        ...(data.card_pan ? { cardMask: data.card_pan.slice(0, 32) } : {}),
      };
    }
    const code = Array.isArray(errors) ? (Array.isArray(data) ? undefined : data.code) : errors.code;
    const message = Array.isArray(errors) ? undefined : errors.message;
    return {
      status: 'failed',
      code: (code !== undefined && FAILURE_CODES[code]) || 'provider_error',
      message: `ZarinPal code ${code ?? 'unknown'}${message ? `: ${message}` : ''}`.slice(0, 500),
    };
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new PaymentProviderUnavailableError(`ZarinPal unreachable: ${(error as Error).message}`);
    }
    // ZarinPal reports refusals with 4xx and a JSON body; 5xx and non-JSON mean "ask again later".
    if (res.status >= 500) throw new PaymentProviderUnavailableError(`ZarinPal answered ${res.status}`);
    try {
      return await res.json();
    } catch {
      throw new PaymentProviderUnavailableError(`ZarinPal answered ${res.status} without JSON`);
    }
  }
}

/** The broker refused to open a payment (bad merchant, amount below its minimum...). */
export class PaymentRequestRefusedError extends Error {
  readonly code = 'payment_request_refused';
}
