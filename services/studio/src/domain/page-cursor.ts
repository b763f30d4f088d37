/**
 * Project lists are ordered by a per-change sequence number (`touched`, newest first), which is
 * unique, so a cursor is just the last number seen. Opaque to clients.
 */
export function encodeCursor(touched: string | number | bigint): string {
  return Buffer.from(`t:${touched}`).toString('base64url');
}

/** The sequence number a cursor carries, or undefined for a cursor this service did not make. */
export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^t:(\d{1,19})$/.exec(text);
  return match?.[1];
}
