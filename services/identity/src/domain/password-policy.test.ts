import { describe, expect, it } from 'vitest';
import { commonPasswords } from '../common-passwords';
import { checkPassword, normalizePassword, PASSWORD_MIN_LENGTH } from './password-policy';

const common = commonPasswords();

describe('password policy', () => {
  it('bundles a list of common passwords, all long enough to matter', () => {
    expect(common.size).toBeGreaterThan(10_000);
    for (const p of [
      'password123',
      'qwertyuiop',
      '1234567890',
      'iloveyou123',
      'mohammad1370',
      '09121234567',
    ]) {
      expect(common.has(p), p).toBe(true);
    }
    expect([...common].every((p) => p.length >= PASSWORD_MIN_LENGTH && p === p.toLowerCase())).toBe(true);
  });

  it('refuses short, overlong and common passwords, whatever their case', () => {
    expect(checkPassword('short1!', {}, common)).toBe('too_short');
    expect(checkPassword('a'.repeat(129), {}, common)).toBe('too_long');
    expect(checkPassword('PassWord123', {}, common)).toBe('too_common');
    expect(checkPassword('QWERTYUIOP', {}, common)).toBe('too_common');
    expect(checkPassword('correct horse battery staple', {}, common)).toBeUndefined();
  });

  it('counts characters, not bytes: ten Persian letters are long enough', () => {
    expect(checkPassword('سلامدنیایخوب', {}, common)).toBeUndefined();
    expect(checkPassword('😀😀😀😀😀😀😀😀😀', {}, common)).toBe('too_short');
  });

  it('refuses passwords built on the email or name', () => {
    const ctx = { email: 'sara.ahmadi@example.com', displayName: 'Sara Ahmadi' };
    expect(checkPassword('sara.ahmadi99', ctx, common)).toBe('contains_personal_data');
    expect(checkPassword('Ahmadi2024!!', ctx, common)).toBe('contains_personal_data');
    expect(checkPassword('lantern-river-ochre', ctx, common)).toBeUndefined();
  });

  it('normalizes to NFC so composed and decomposed input hash alike', () => {
    expect(normalizePassword('e\u0301tude-long-pass')).toBe(normalizePassword('\u00e9tude-long-pass'));
  });
});
