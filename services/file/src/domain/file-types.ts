import type { FILE_KINDS, FILE_PURPOSES } from '@flatrender/contracts';

export type FileKind = (typeof FILE_KINDS)[number];
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** Which configured size limit applies to a type. */
export type SizeClass = 'image' | 'svg' | 'video' | 'audio' | 'font';

export interface AcceptedType {
  /** What the bytes are, as `file-type` names them (`png`, `mp4`) or `svg` from the text sniff. */
  ext: string;
  mime: string;
  /** Human name used in messages. */
  label: string;
  /** The kind it is stored as; containers that may hold video or only audio are decided by probing. */
  kind: FileKind;
  sizeClass: SizeClass;
}

/**
 * The only types accepted, keyed by the `ext` that `file-type` reports from the magic bytes (or `svg`
 * from the text sniff). Anything else is refused, whatever its name or declared media type.
 */
export const ACCEPTED_TYPES: Readonly<Record<string, AcceptedType>> = {
  png: { ext: 'png', mime: 'image/png', label: 'PNG', kind: 'image', sizeClass: 'image' },
  jpg: { ext: 'jpg', mime: 'image/jpeg', label: 'JPEG', kind: 'image', sizeClass: 'image' },
  webp: { ext: 'webp', mime: 'image/webp', label: 'WebP', kind: 'image', sizeClass: 'image' },
  gif: { ext: 'gif', mime: 'image/gif', label: 'GIF', kind: 'image', sizeClass: 'image' },
  svg: { ext: 'svg', mime: 'image/svg+xml', label: 'SVG', kind: 'svg', sizeClass: 'svg' },
  mp4: { ext: 'mp4', mime: 'video/mp4', label: 'MP4', kind: 'video', sizeClass: 'video' },
  webm: { ext: 'webm', mime: 'video/webm', label: 'WebM', kind: 'video', sizeClass: 'video' },
  mp3: { ext: 'mp3', mime: 'audio/mpeg', label: 'MP3', kind: 'audio', sizeClass: 'audio' },
  wav: { ext: 'wav', mime: 'audio/wav', label: 'WAV', kind: 'audio', sizeClass: 'audio' },
  ogg: { ext: 'ogg', mime: 'audio/ogg', label: 'OGG', kind: 'audio', sizeClass: 'audio' },
  oga: { ext: 'ogg', mime: 'audio/ogg', label: 'OGG', kind: 'audio', sizeClass: 'audio' },
  opus: { ext: 'ogg', mime: 'audio/ogg', label: 'OGG (Opus)', kind: 'audio', sizeClass: 'audio' },
  ttf: { ext: 'ttf', mime: 'font/ttf', label: 'TrueType font', kind: 'font', sizeClass: 'font' },
  otf: { ext: 'otf', mime: 'font/otf', label: 'OpenType font', kind: 'font', sizeClass: 'font' },
  woff2: { ext: 'woff2', mime: 'font/woff2', label: 'WOFF2 font', kind: 'font', sizeClass: 'font' },
};

export const ACCEPTED_LABELS = 'PNG, JPEG, WebP, GIF, SVG, MP4, WebM, MP3, WAV, OGG, TTF, OTF, WOFF2';

/** Purposes a user may upload for; render outputs are registered by the render service only. */
export const UPLOAD_PURPOSES = ['project_asset', 'template_asset', 'font', 'avatar'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/** The kinds each purpose admits (a font slot takes fonts, an avatar an image). */
const PURPOSE_KINDS: Readonly<Record<FilePurpose, readonly FileKind[]>> = {
  project_asset: ['image', 'svg', 'video', 'audio'],
  template_asset: ['image', 'svg', 'video', 'audio', 'font'],
  font: ['font'],
  avatar: ['image', 'svg'],
  render_output: ['image', 'video', 'audio'],
};

export function purposeAdmits(purpose: FilePurpose, kind: FileKind): boolean {
  return PURPOSE_KINDS[purpose].includes(kind);
}

export function kindsFor(purpose: FilePurpose): readonly FileKind[] {
  return PURPOSE_KINDS[purpose];
}

export interface Detected {
  /** `file-type`'s ext and mime, `svg` from the sniff, or null when nothing was recognised. */
  ext: string | null;
  mime: string | null;
}

/** The accepted type for what was detected, or null when it must be refused. */
export function acceptedType(detected: Detected): AcceptedType | null {
  return detected.ext ? (ACCEPTED_TYPES[detected.ext] ?? null) : null;
}

/** Names what was found, for the 415 message (`application/x-msdownload (.exe)`). */
export function describeDetected(detected: Detected): string {
  if (!detected.ext) return 'content of no recognised type';
  return `${detected.mime ?? 'unknown'} (.${detected.ext})`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mark binary content.
const BINARY = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;

/**
 * True when the start of a text file is an SVG document: optional BOM, XML declaration, comments,
 * processing instructions and doctype, then an `<svg` root element. Only the first bytes are looked at,
 * so a document whose root is not `svg` (XHTML, an XML bomb without a root yet) is not an SVG.
 */
export function looksLikeSvg(head: Buffer): boolean {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (BINARY.test(text)) return false;
  let rest = text.trimStart();
  for (;;) {
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) return false;
      rest = rest.slice(end + 2).trimStart();
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) return false;
      rest = rest.slice(end + 3).trimStart();
    } else if (/^<!doctype/i.test(rest)) {
      // An internal subset (`[ <!ENTITY ...> ]`) holds `>` of its own; the doctype ends after `]>`.
      const close = rest.indexOf('>');
      const subset = rest.indexOf('[');
      const end = subset >= 0 && subset < close ? rest.indexOf(']', subset) : close;
      const gt = end < 0 ? -1 : rest.indexOf('>', end);
      if (gt < 0) return false;
      rest = rest.slice(gt + 1).trimStart();
    } else {
      return /^<svg[\s>/]/.test(rest);
    }
  }
}
