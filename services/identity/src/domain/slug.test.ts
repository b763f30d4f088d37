import { slugSchema } from '@flatrender/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tenantSlug } from './slug';

describe('tenant slug', () => {
  it('keeps latin words and adds a random tail', () => {
    expect(tenantSlug('Acme Studio!')).toMatch(/^acme-studio-[0-9a-f]{6}$/);
    expect(tenantSlug('Acme Studio')).not.toBe(tenantSlug('Acme Studio'));
  });

  it('falls back for names without latin letters', () => {
    expect(tenantSlug('استودیو نور')).toMatch(/^team-[0-9a-f]{6}$/);
    expect(tenantSlug('سارا', 'sara')).toMatch(/^sara-[0-9a-f]{6}$/);
  });

  it('always yields a catalog slug', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        expect(slugSchema.safeParse(tenantSlug(name)).success).toBe(true);
      }),
    );
  });
});
