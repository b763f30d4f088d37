/**
 * Lists are ordered by a per-table sequence number, which is unique, so a cursor is the last number
 * seen. The prefix names the list, so a cursor of one list is refused by another. Opaque to clients.
 */
export function encodeCursor(list: string, seq: string): string {
  return Buffer.from(`${list}:${seq}`).toString('base64url');
}

/** The sequence number a cursor of `list` carries, or undefined for anything else. */
export function decodeCursor(list: string, cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${list}:`;
  if (!text.startsWith(prefix)) return undefined;
  const seq = text.slice(prefix.length);
  return /^\d{1,19}$/.test(seq) ? seq : undefined;
}
