import type { PlanLimits } from '@flatrender/contracts';
import type { SizeClass } from './file-types';

/** What the file service knows of a tenant: its plan's storage limits and whether it is suspended. */
export interface TenantPolicy {
  tenantId: string;
  planCode: string;
  storageBytes: number;
  maxUploadBytes: number;
  retentionDays: number;
  /** `effective_at` of the plan event these limits came from; null = defaults, no event seen yet. */
  planEffectiveAt: Date | null;
  suspendedAt: Date | null;
  /** End of the suspension; null with `suspendedAt` set = until lifted. */
  suspendedUntil: Date | null;
  /** file.quota_exceeded.v1 was sent and usage has not fallen (nor the plan changed) since. */
  quotaExceededAnnounced: boolean;
}

export interface DefaultLimits {
  defaultStorageBytes: number;
  defaultMaxUploadBytes: number;
  defaultRetentionDays: number;
}

/** Limits of a tenant no plan event has reached yet: the free plan's, from configuration. */
export function defaultPolicy(tenantId: string, limits: DefaultLimits): TenantPolicy {
  return {
    tenantId,
    planCode: 'free',
    storageBytes: limits.defaultStorageBytes,
    maxUploadBytes: limits.defaultMaxUploadBytes,
    retentionDays: limits.defaultRetentionDays,
    planEffectiveAt: null,
    suspendedAt: null,
    suspendedUntil: null,
    quotaExceededAnnounced: false,
  };
}

/** Plan events may arrive in any order: the limits with the latest `effective_at` win. */
export function planApplies(current: Date | null, incoming: Date): boolean {
  return current === null || incoming.getTime() >= current.getTime();
}

export function planPolicyFields(
  limits: PlanLimits,
): Pick<TenantPolicy, 'storageBytes' | 'maxUploadBytes' | 'retentionDays'> {
  return {
    storageBytes: limits.storage_bytes,
    maxUploadBytes: limits.max_upload_bytes,
    retentionDays: limits.retention_days,
  };
}

export function isSuspended(
  policy: Pick<TenantPolicy, 'suspendedAt' | 'suspendedUntil'>,
  now: Date,
): boolean {
  if (!policy.suspendedAt || policy.suspendedAt.getTime() > now.getTime()) return false;
  return policy.suspendedUntil === null || policy.suspendedUntil.getTime() > now.getTime();
}

export type SizeLimits = Record<SizeClass, number>;

/** The largest upload of a size class this tenant may make: the type's limit, capped by the plan. */
export function uploadLimit(
  sizeClass: SizeClass,
  limits: SizeLimits,
  policy: Pick<TenantPolicy, 'maxUploadBytes'>,
): number {
  return Math.min(limits[sizeClass], policy.maxUploadBytes);
}

/** The largest upload of any type this tenant may make (checked before the type is known). */
export function largestUpload(limits: SizeLimits, policy: Pick<TenantPolicy, 'maxUploadBytes'>): number {
  return Math.min(Math.max(...Object.values(limits)), policy.maxUploadBytes);
}
