import { giveUp, retryLater } from './delivery-failure';
import type { SmsProvider } from './sms-provider';

interface KavenegarAnswer {
  return?: { status?: number; message?: string };
  entries?: { messageid?: number | string; status?: number; statustext?: string }[];
}

/** Kavenegar statuses that mean this number cannot receive: 411 invalid receptor. */
const INVALID_RECEPTOR = new Set([411]);
/** Statuses worth another try: 409 server unavailable, 429 too many requests. */
const TRY_AGAIN = new Set([409, 429]);

/**
 * Iranian numbers go to Kavenegar in the national form (09xxxxxxxxx); others in the international
 * form with 00 (Kavenegar's way to write "+").
 */
export function kavenegarReceptor(phoneE164: string): string {
  if (phoneE164.startsWith('+98')) return `0${phoneE164.slice(3)}`;
  return `00${phoneE164.slice(1)}`;
}

/**
 * A Kavenegar-style SMS API: `POST <base>/v1/<api key>/sms/send.json` with the form fields
 * `receptor`, `message` and `sender`; the answer's `return.status` is 200 on success, with the message
 * id in `entries[0].messageid`.
 */
export class KavenegarSms implements SmsProvider {
  constructor(
    private readonly options: { baseUrl: string; apiKey: string; sender?: string; timeoutMs?: number },
  ) {}

  async send(phoneE164: string, text: string): Promise<{ messageId: string | null }> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/v1/${encodeURIComponent(this.options.apiKey)}/sms/send.json`;
    const form = new URLSearchParams({ receptor: kavenegarReceptor(phoneE164), message: text });
    if (this.options.sender) form.set('sender', this.options.sender);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          accept: 'application/json',
        },
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw retryLater(
        timedOut ? 'timeout' : 'provider_error',
        `SMS provider unreachable: ${(error as Error).message}`,
      );
    }
    let answer: KavenegarAnswer = {};
    try {
      answer = (await response.json()) as KavenegarAnswer;
    } catch {
      // A non-JSON answer (a proxy's error page) is judged by its HTTP status below.
    }
    const status = answer.return?.status ?? response.status;
    const said = answer.return?.message ?? response.statusText;
    if (status === 200 && response.ok) {
      const id = answer.entries?.[0]?.messageid;
      return { messageId: id === undefined ? null : String(id) };
    }
    const message = `SMS provider answered ${status}: ${said}`;
    if (INVALID_RECEPTOR.has(status)) throw giveUp('invalid_recipient', message, true);
    if (TRY_AGAIN.has(status) || status >= 500)
      throw retryLater(status === 429 ? 'rate_limited' : 'provider_error', message);
    throw giveUp('rejected', message);
  }
}
