import { describe, expect, it } from 'vitest';
import { kavenegarReceptor } from '../channels/kavenegar.sms';
import { decodeCursor, encodeCursor } from './page-cursor';
import { SecretBox } from './secret-box';
import { startCode } from './telegram-update';

describe('telegram /start codes', () => {
  it('reads the code of /start and /start@Bot', () => {
    expect(startCode('/start AB12CD34EF')).toBe('AB12CD34EF');
    expect(startCode('  /start@FlatRenderBot   XY23ZW45QR ')).toBe('XY23ZW45QR');
  });
  it('ignores anything else', () => {
    expect(startCode('/start')).toBeUndefined();
    expect(startCode('hello AB12CD34EF')).toBeUndefined();
    expect(startCode('/start AB12; drop table')).toBeUndefined();
    expect(startCode(undefined)).toBeUndefined();
  });
});

describe('page cursors', () => {
  it('round-trip and belong to one list', () => {
    const cursor = encodeCursor('inbox', '12345');
    expect(decodeCursor('inbox', cursor)).toBe('12345');
    expect(decodeCursor('webhooks', cursor)).toBeUndefined();
    expect(decodeCursor('inbox', Buffer.from('inbox:1 or 1=1').toString('base64url'))).toBeUndefined();
  });
});

describe('Kavenegar receptors', () => {
  it('writes Iranian numbers nationally and others with 00', () => {
    expect(kavenegarReceptor('+989121234567')).toBe('09121234567');
    expect(kavenegarReceptor('+4915112345678')).toBe('004915112345678');
  });
});

describe('SecretBox', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const box = new SecretBox('s'.repeat(40), 'webhook-secrets');
    const a = box.seal('whsec_abc');
    const b = box.seal('whsec_abc');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('whsec_abc');
    expect(a).not.toContain('abc');
  });
  it('refuses another key, another purpose and tampering', () => {
    const sealed = new SecretBox('s'.repeat(40), 'webhook-secrets').seal('whsec_abc');
    expect(() => new SecretBox('t'.repeat(40), 'webhook-secrets').open(sealed)).toThrow();
    expect(() => new SecretBox('s'.repeat(40), 'other').open(sealed)).toThrow();
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
    expect(() => new SecretBox('s'.repeat(40), 'webhook-secrets').open(flipped)).toThrow();
  });
});
