import webpush from 'web-push';
import { OutboundError, type OutboundHttp } from '../http/outbound-http';
import { giveUp, retryLater } from './delivery-failure';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), built by the
 * `web-push` library and sent through the SSRF-guarded client: the endpoint comes from a browser, so
 * it is a URL a user chose.
 */
export class WebPushSender {
  constructor(
    private readonly vapid: VapidKeys & { subject: string },
    private readonly http: OutboundHttp,
  ) {}

  get publicKey(): string {
    return this.vapid.publicKey;
  }

  async send(target: PushTarget, payload: string, ttlSeconds: number): Promise<{ messageId: string | null }> {
    const request = webpush.generateRequestDetails(target, payload, {
      vapidDetails: this.vapid,
      TTL: ttlSeconds,
      contentEncoding: 'aes128gcm',
      urgency: 'normal',
    });
    let answer: Awaited<ReturnType<OutboundHttp['post']>>;
    try {
      answer = await this.http.post(
        request.endpoint,
        request.headers as Record<string, string>,
        request.body as Buffer,
      );
    } catch (error) {
      if (error instanceof OutboundError) {
        if (error.errorCode === 'blocked_address') throw giveUp('invalid_recipient', error.message, true);
        if (error.errorCode === 'timeout') throw retryLater('timeout', error.message);
        throw retryLater('provider_error', error.message);
      }
      throw error;
    }
    const { statusCode } = answer;
    if (statusCode >= 200 && statusCode < 300) return { messageId: null };
    const message = `push service answered ${statusCode}${answer.body ? `: ${answer.body.slice(0, 300)}` : ''}`;
    // 404 and 410: the subscription expired or the user revoked it; it will never work again.
    if (statusCode === 404 || statusCode === 410) throw giveUp('invalid_recipient', message, true);
    if (statusCode === 429) throw retryLater('rate_limited', message);
    if (statusCode >= 500) throw retryLater('provider_error', message);
    if (statusCode === 413) throw giveUp('template_error', message);
    throw giveUp('rejected', message);
  }
}

export function generateVapidKeys(): VapidKeys {
  return webpush.generateVAPIDKeys();
}
