import { describe, expect, it } from 'vitest';
import { errorBodySchema } from './error-body';

describe('errorBodySchema', () => {
  it('accepts the documented shape, with and without field and details', () => {
    expect(
      errorBodySchema.safeParse({ error: { code: 'not_found', message: 'Render not found' } }).success,
    ).toBe(true);
    const full = {
      error: {
        code: 'validation_failed',
        message: 'Too long',
        field: 'values.intro.title',
        details: { max: 40 },
      },
    };
    expect(errorBodySchema.parse(full)).toEqual(full);
  });

  it('refuses bodies without a code, with a free-text code, or with extra keys', () => {
    expect(errorBodySchema.safeParse({ error: { message: 'x' } }).success).toBe(false);
    expect(errorBodySchema.safeParse({ error: { code: 'Not Found', message: 'x' } }).success).toBe(false);
    expect(errorBodySchema.safeParse({ error: { code: 'x', message: 'y' }, status: 404 }).success).toBe(
      false,
    );
  });
});
