import path from 'node:path';

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, RFC 8187),
 * so browsers save Persian names intact and old clients still get a safe name. Written here because
 * the `content-disposition` package's current major needs Node 22.
 */
export function attachmentDisposition(filename: string): string {
  const name = filename.replace(/[\r\n]/g, ' ');
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The name a download gets when none is given: the key's last segment. */
export function defaultDownloadName(key: string): string {
  return path.posix.basename(key);
}
