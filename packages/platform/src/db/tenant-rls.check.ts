import { sql } from 'kysely';
import type { Database } from './database';

export interface TenantTableRls {
  schema: string;
  table: string;
  enabled: boolean;
  forced: boolean;
  policies: number;
}

/** Every table (and partition) with a `tenant_id` column in the given schemas, with its RLS state. */
export async function tenantTablesRls(db: Database, schemas: readonly string[]): Promise<TenantTableRls[]> {
  const { rows } = await sql<TenantTableRls>`
    select n.nspname as schema, c.relname as table,
           c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
           (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any(${[...schemas]}::text[])
       and c.relkind in ('r', 'p')
       and exists (select 1 from pg_attribute a
                    where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
     order by 1, 2`.execute(db.kysely);
  return rows;
}

/**
 * Throws, naming each offender, unless every table with a `tenant_id` column in `schemas` has row-level
 * security enabled AND forced (owners are subject to it too) AND at least one policy. Services call it
 * in their tests after migrating, so a new tenant table cannot ship without isolation.
 */
export async function assertTenantTablesForceRls(db: Database, schemas: readonly string[]): Promise<void> {
  const problems = (await tenantTablesRls(db, schemas)).flatMap((t) => {
    const missing = [
      !t.enabled && 'ENABLE ROW LEVEL SECURITY',
      !t.forced && 'FORCE ROW LEVEL SECURITY',
      t.policies === 0 && 'a policy (CREATE POLICY tenant_isolation ... USING (tenant_visible(tenant_id)))',
    ].filter(Boolean);
    return missing.length ? [`${t.schema}.${t.table} lacks ${missing.join(', ')}`] : [];
  });
  if (problems.length > 0)
    throw new Error(`tenant tables without enforced isolation:\n  ${problems.join('\n  ')}`);
}
