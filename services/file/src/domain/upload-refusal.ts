import type { FILE_REJECTION_CODES } from '@flatrender/contracts';

export type RefusalCode = (typeof FILE_REJECTION_CODES)[number] | 'quota_exceeded' | 'tenant_suspended';

/** The HTTP status of each refusal; the body's `code` is the refusal code itself. */
export const REFUSAL_STATUS: Readonly<Record<RefusalCode, number>> = {
  unsupported_type: 415,
  type_mismatch: 415,
  too_large: 413,
  quota_exceeded: 413,
  too_many_pixels: 422,
  corrupt: 422,
  unsafe_svg: 422,
  tenant_suspended: 403,
};

/** An upload refused before anything was stored: no blob, no row. */
export class UploadRefusedError extends Error {
  readonly status: number;

  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = REFUSAL_STATUS[code];
  }
}
