import { describe, expect, it } from 'vitest';
import { fontLinkExpiry, fontLinkSignature, verifyFontLink } from './font-links';

const SECRET = 'x'.repeat(40);
const ID = '8c1f3b0e-7a55-4f6e-9d7d-2f1f4b7c9a10';

describe('font links', () => {
  it('expire on a day boundary at least the lifetime away, so links stay stable for a day', () => {
    const now = Date.UTC(2026, 4, 27, 10, 15);
    const exp = fontLinkExpiry(now, 86_400);
    expect(exp % 86_400).toBe(0);
    expect(exp * 1000 - now).toBeGreaterThanOrEqual(86_400_000);
    expect(fontLinkExpiry(now + 3_600_000, 86_400)).toBe(exp);
  });

  it('verify only the id and expiry they were signed for, before the expiry', () => {
    const exp = fontLinkExpiry(Date.now(), 3600);
    const sig = fontLinkSignature(SECRET, ID, exp);
    expect(verifyFontLink(SECRET, ID, { exp: String(exp), sig })).toBe(true);
    expect(verifyFontLink(SECRET, ID.replace('8c', '9c'), { exp: String(exp), sig })).toBe(false);
    expect(verifyFontLink(SECRET, ID, { exp: String(exp + 86_400), sig })).toBe(false);
    expect(verifyFontLink('y'.repeat(40), ID, { exp: String(exp), sig })).toBe(false);
    expect(verifyFontLink(SECRET, ID, { exp: String(exp), sig }, exp * 1000)).toBe(false);
    expect(verifyFontLink(SECRET, ID, {})).toBe(false);
  });
});
