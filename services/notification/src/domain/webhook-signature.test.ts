import { randomUUID } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, webhookHeaders } from './webhook-signature';

describe('Standard Webhooks signatures', () => {
  const body = JSON.stringify({
    event_type: 'render.job.completed.v1',
    data: { job_id: randomUUID(), title: 'نوروز' },
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('verifies with the standardwebhooks library', () => {
    const secret = newWebhookSecret();
    const headers = webhookHeaders([secret], randomUUID(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, so either verifies', () => {
    const next = newWebhookSecret();
    const previous = newWebhookSecret();
    const headers = webhookHeaders([next, previous], randomUUID(), body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('does not verify a changed body, id or an old timestamp', () => {
    const secret = newWebhookSecret();
    const id = randomUUID();
    const headers = webhookHeaders([secret], id, body);
    const wh = new Webhook(secret);
    expect(() => wh.verify(body.replace('نوروز', 'x'), headers)).toThrow(WebhookVerificationError);
    expect(() => wh.verify(body, { ...headers, 'webhook-id': randomUUID() })).toThrow(
      WebhookVerificationError,
    );
    const old = webhookHeaders([secret], id, body, new Date(Date.now() - 10 * 60_000));
    expect(() => wh.verify(body, old)).toThrow(WebhookVerificationError);
  });
});
