/** The entity tag of a project revision: a strong ETag, the revision number in quotes. */
export function revisionEtag(revision: number): string {
  return `"${revision}"`;
}

/**
 * The revision an `If-Match` header names: `"3"` (the ETag as sent back) or a bare `3`.
 * undefined when absent; null when it names no single revision (lists, `*`, weak tags, junk).
 */
export function ifMatchRevision(header: string | string[] | undefined): number | null | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  const match = /^(?:"(\d{1,9})"|(\d{1,9}))$/.exec(value);
  const digits = match?.[1] ?? match?.[2];
  if (digits === undefined) return null;
  const revision = Number(digits);
  return revision >= 1 ? revision : null;
}
