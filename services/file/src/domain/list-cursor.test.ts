import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './list-cursor';

describe('list cursor', () => {
  it('round-trips a position', () => {
    const position = {
      createdAt: new Date('2026-05-01T10:20:30.123Z'),
      id: '0b6f1a8e-7c1d-4c56-9d6e-2b0f4a1c9e77',
    };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuses anything it did not make', () => {
    expect(decodeCursor('garbage')).toBeNull();
    expect(decodeCursor(Buffer.from('2026-05-01T10:20:30.123Z|not-a-uuid').toString('base64url'))).toBeNull();
    expect(
      decodeCursor(Buffer.from('yesterday|0b6f1a8e-7c1d-4c56-9d6e-2b0f4a1c9e77').toString('base64url')),
    ).toBeNull();
  });
});
