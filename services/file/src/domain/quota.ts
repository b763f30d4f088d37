/** Storage a tenant uses against what its plan allows. */
export interface Usage {
  usedBytes: number;
  quotaBytes: number;
  fileCount: number;
}

/** Percent of the quota in use, 100 when the quota is zero and anything is stored. */
export function usedPercent(usage: Pick<Usage, 'usedBytes' | 'quotaBytes'>): number {
  if (usage.quotaBytes <= 0) return usage.usedBytes > 0 ? 100 : 0;
  return (usage.usedBytes / usage.quotaBytes) * 100;
}

/** Bytes that may still be stored (never negative). */
export function remainingBytes(usage: Pick<Usage, 'usedBytes' | 'quotaBytes'>): number {
  return Math.max(0, usage.quotaBytes - usage.usedBytes);
}

/** True when adding `bytes` keeps the tenant within its quota. */
export function fits(usage: Pick<Usage, 'usedBytes' | 'quotaBytes'>, bytes: number): boolean {
  return usage.usedBytes + bytes <= usage.quotaBytes;
}

/**
 * The warning thresholds (percents) crossed upwards by going from `beforeBytes` to `afterBytes`:
 * each threshold is announced once per crossing, and again only after usage fell below it.
 */
export function thresholdsCrossed(
  beforeBytes: number,
  afterBytes: number,
  quotaBytes: number,
  percents: readonly number[],
): number[] {
  if (quotaBytes <= 0) return [];
  return percents.filter((p) => {
    const line = (quotaBytes * p) / 100;
    return beforeBytes < line && afterBytes >= line;
  });
}
