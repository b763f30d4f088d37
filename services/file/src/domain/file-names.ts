// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,48}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,48}$/;

/**
 * The name a client gave, fit for display and for `Content-Disposition`: its last path segment, without
 * control or bidi-override characters (which could disguise `gpj.exe` as `exe.jpg`), at most 255
 * characters; `upload` when nothing is left. Never used to build a path or key.
 */
export function displayName(given: string | undefined | null): string {
  const last = (given ?? '').split(/[/\\]/).pop() ?? '';
  const clean = last.replace(CONTROL, '').trim();
  return (clean || 'upload').slice(0, 255);
}

/** The declared media type if it is a well-formed one, else `application/octet-stream` (it is never trusted). */
export function declaredMime(given: string | undefined | null): string {
  const value = (given ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return MIME.test(value) ? value : 'application/octet-stream';
}

/** Download name of a variant: `photo.png` -> `photo-thumbnail.webp`. */
export function variantDownloadName(name: string, variant: string, ext: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return `${stem}-${variant}.${ext}`;
}

/** The extension a stored file gets from its media type (blob keys and download names). */
export function extensionOf(mime: string): string {
  const known: Record<string, string> = {
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/webp': 'webp',
    'image/gif': 'gif',
    'image/svg+xml': 'svg',
    'video/mp4': 'mp4',
    'video/webm': 'webm',
    'audio/mp4': 'm4a',
    'audio/webm': 'webm',
    'audio/mpeg': 'mp3',
    'audio/wav': 'wav',
    'audio/ogg': 'ogg',
    'font/ttf': 'ttf',
    'font/otf': 'otf',
    'font/woff2': 'woff2',
  };
  return known[mime] ?? 'bin';
}
