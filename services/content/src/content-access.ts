import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import { forbidden, type Principal, type ScopedDatabase, type Tx } from '@flatrender/platform';
import type { ContentTables } from './content.tables';

/**
 * Who acts on content: a tenant (its own templates and fonts, reading the platform's), or a platform
 * administrator (the platform catalogue, in the system scope). The tenant always comes from the
 * verified principal.
 */
export type Access = { kind: 'tenant'; tenantId: string; userId: string } | { kind: 'admin'; userId: string };

export function tenantAccess(principal: Principal): Access {
  // The nil tenant owns the platform's rows; no tenant principal may act as it.
  if (principal.tenantId === PLATFORM_TENANT_ID)
    throw forbidden('This tenant id is reserved.', 'tenant_reserved');
  return { kind: 'tenant', tenantId: principal.tenantId, userId: principal.userId };
}

export function adminAccess(principal: Principal): Access {
  return { kind: 'admin', userId: principal.userId };
}

/** The tenant that owns what this access creates: its own, or the platform for administrators. */
export function ownerTenant(access: Access): string {
  return access.kind === 'tenant' ? access.tenantId : PLATFORM_TENANT_ID;
}

export function visibilityOf(tenantId: string): 'public' | 'tenant' {
  return tenantId === PLATFORM_TENANT_ID ? 'public' : 'tenant';
}

export function inScope<R>(
  db: ScopedDatabase<ContentTables>,
  access: Access,
  work: (tx: Tx<ContentTables>) => Promise<R>,
): Promise<R> {
  return access.kind === 'tenant' ? db.withTenant(access.tenantId, work) : db.asSystem(work);
}
