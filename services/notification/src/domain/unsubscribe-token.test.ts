import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUnsubscribe, verifyUnsubscribe } from './unsubscribe-token';

const secret = 'x'.repeat(40);

describe('unsubscribe tokens', () => {
  it('round-trips who and which kind', () => {
    const claim = { userId: randomUUID(), kind: 'render.completed' };
    expect(verifyUnsubscribe(secret, signUnsubscribe(secret, claim))).toEqual(claim);
    const all = { userId: randomUUID(), kind: '*' };
    expect(verifyUnsubscribe(secret, signUnsubscribe(secret, all))).toEqual(all);
  });

  it('refuses tokens signed with another secret, changed, or malformed', () => {
    const token = signUnsubscribe(secret, { userId: randomUUID(), kind: 'payment.failed' });
    expect(verifyUnsubscribe('y'.repeat(40), token)).toBeUndefined();
    const [payload, mac] = token.split('.');
    const other = Buffer.from(`${randomUUID()}:payment.failed`).toString('base64url');
    expect(verifyUnsubscribe(secret, `${other}.${mac}`)).toBeUndefined();
    expect(verifyUnsubscribe(secret, `${payload}.${mac}x`)).toBeUndefined();
    expect(verifyUnsubscribe(secret, `${payload}`)).toBeUndefined();
    expect(verifyUnsubscribe(secret, `${token}.x`)).toBeUndefined();
  });
});
