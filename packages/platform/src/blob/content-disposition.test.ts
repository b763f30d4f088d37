import { describe, expect, it } from 'vitest';
import { attachmentDisposition, defaultDownloadName } from './content-disposition';

describe('attachmentDisposition', () => {
  it('gives ASCII names as they are, in both forms', () => {
    expect(attachmentDisposition('clip.mp4')).toBe(
      `attachment; filename="clip.mp4"; filename*=UTF-8''clip.mp4`,
    );
  });

  it('encodes Persian names in UTF-8 and gives old clients a safe fallback', () => {
    const header = attachmentDisposition('ویدیو نوروز.mp4');
    expect(header).toBe(
      `attachment; filename="_____ _____.mp4"; filename*=UTF-8''${encodeURIComponent('ویدیو نوروز.mp4')}`,
    );
  });

  it('cannot be broken out of by quotes, newlines or RFC 8187 specials', () => {
    const header = attachmentDisposition(`a"b\\c\r\nSet-Cookie: x=1;'(*).txt`);
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toContain(`filename="a_b_c  Set-Cookie: x=1;'(*).txt"`);
    expect(header).toContain(`filename*=UTF-8''a%22b%5Cc%20%20Set-Cookie%3A%20x%3D1%3B%27%28%2A%29.txt`);
  });

  it('names a download after the last key segment', () => {
    expect(defaultDownloadName('renders/job-1/output.mp4')).toBe('output.mp4');
  });
});
