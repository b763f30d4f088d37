/** S3's limit on a key (UTF-8 bytes); a key longer than this is refused by every driver. */
export const MAX_BLOB_KEY_BYTES = 1024;
/** File-system limit on one path segment (bytes), which the disk driver maps each key segment to. */
export const MAX_BLOB_SEGMENT_BYTES = 255;

export class InvalidBlobKeyError extends Error {
  readonly code = 'invalid_blob_key';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid blob key ${JSON.stringify(key)}: ${reason}`);
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function problem(key: string, allowEmpty: boolean, prefix: boolean): string | undefined {
  if (typeof key !== 'string') return 'must be a string';
  if (key === '') return allowEmpty ? undefined : 'must not be empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_BLOB_KEY_BYTES) return `longer than ${MAX_BLOB_KEY_BYTES} bytes`;
  if (CONTROL.test(key)) return 'contains a control character';
  if (key.includes('\\')) return 'contains a backslash';
  if (key.startsWith('/')) return 'must be relative (no leading /)';
  const segments = key.split('/');
  // A prefix may end with "/" (everything under a folder); a key may not.
  if (prefix && segments.at(-1) === '') segments.pop();
  for (const segment of segments) {
    if (segment === '') return 'has an empty segment (// or trailing /)';
    if (segment === '.' || segment === '..') return 'has a . or .. segment';
    if (Buffer.byteLength(segment, 'utf8') > MAX_BLOB_SEGMENT_BYTES)
      return `has a segment longer than ${MAX_BLOB_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/**
 * A blob key is a relative, slash-separated path built by the platform (`tenants/<id>/files/<id>`):
 * no leading `/`, no `.` or `..` segments, no empty segments, no backslash, no control characters,
 * at most 1024 bytes. Every driver checks keys first, so none can be tricked out of its root.
 */
export function assertValidBlobKey(key: string): void {
  const reason = problem(key, false, false);
  if (reason) throw new InvalidBlobKeyError(key, reason);
}

/** A listing prefix: empty (everything) or a key prefix, which may end with `/`. */
export function assertValidBlobPrefix(prefix: string): void {
  const reason = problem(prefix, true, true);
  if (reason) throw new InvalidBlobKeyError(prefix, reason);
}

export function isValidBlobKey(key: string): boolean {
  return problem(key, false, false) === undefined;
}
