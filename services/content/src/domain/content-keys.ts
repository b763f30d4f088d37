/*
 * Blob keys of everything content stores. Content-addressed (the SHA-256 of the bytes): a key never
 * points at other bytes, so render nodes and browsers may cache by it forever, and storing the same
 * file twice stores it once.
 */

export const templateDocumentKey = (sha256: string) => `content/templates/${sha256}.json`;
export const fontFileKey = (sha256: string, format: string) => `content/fonts/${sha256}.${format}`;
export const previewKey = (sha256: string, extension: 'svg' | 'png' | 'jpg') =>
  `content/previews/${sha256}.${extension}`;
