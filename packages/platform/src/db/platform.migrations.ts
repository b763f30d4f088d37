import { type Migration, sql } from 'kysely';
import { RUNTIME_ROLE } from './database';

/** NOTIFY channel on which a schema's outbox announces new rows (after the inserting commit). */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

/**
 * The platform's own migrations in every service schema, tracked apart from the service's
 * (table `platform_migration`) so either side can add migrations without reordering the other.
 * Append only; never edit one that has shipped.
 */
export function platformMigrations(schema: string): Record<string, Migration> {
  return {
    '0001_base': {
      up: async (db) => {
        await sql.raw(baseMigration(schema)).execute(db);
      },
    },
  };
}

function baseMigration(schema: string): string {
  return `
-- The runtime role is cluster-wide: several databases (or concurrent test databases) may race to
-- create it, hence the existence check plus the tolerated duplicate.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN
    BEGIN
      CREATE ROLE ${RUNTIME_ROLE} NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  -- Superusers may SET ROLE to anything; an owner login must be a member of the runtime role.
  IF NOT pg_has_role(current_user, '${RUNTIME_ROLE}', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT ${RUNTIME_ROLE} TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'user % may not use role ${RUNTIME_ROLE}', current_user
        USING HINT = format('As a superuser run: GRANT ${RUNTIME_ROLE} TO %I;', current_user);
    END;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA ${schema} TO ${RUNTIME_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${RUNTIME_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${RUNTIME_ROLE};

-- The tenant policy of every table with a tenant_id, as one line in a service migration:
--   ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
--   CREATE POLICY tenant_isolation ON projects USING (tenant_visible(tenant_id));
-- (USING also checks inserted and updated rows when the policy has no WITH CHECK.)
-- Stays a plain STABLE SQL expression so the planner inlines it and tenant_id indexes apply.
CREATE FUNCTION ${schema}.tenant_visible(row_tenant uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT current_setting('app.scope', true) = 'system'
        OR row_tenant = nullif(current_setting('app.tenant_id', true), '')::uuid
  $$;

CREATE TABLE ${schema}.outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('publish', 'dispatch')),
  routing_key text NOT NULL,
  priority smallint CHECK (priority BETWEEN 0 AND 10),
  envelope jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  claimed_by text,
  claim_expires_at timestamptz,
  sent_at timestamptz,
  -- Refused by the bus as invalid: kept for inspection, never retried.
  failed_at timestamptz
);
CREATE INDEX outbox_pending_idx ON ${schema}.outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_sent_idx ON ${schema}.outbox (sent_at) WHERE sent_at IS NOT NULL;

CREATE FUNCTION ${schema}.outbox_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM pg_notify('${outboxChannel(schema)}', '');
    RETURN NULL;
  END
  $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON ${schema}.outbox
  FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.outbox_notify();

CREATE TABLE ${schema}.inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX inbox_processed_idx ON ${schema}.inbox (processed_at);
`;
}
