import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, RUNTIME_ROLE } from './database';
import { MigrationError, migrateService } from './migrate-service';
import { outboxChannel } from './platform.migrations';
import { assertTenantTablesForceRls } from './tenant-rls.check';

export interface DatabaseFixture {
  db: Database;
  /**
   * A second, independent handle on the same database, as a second process would have (PostgreSQL).
   * Absent where a database has one client only (PGlite): concurrency is then within one handle.
   */
  openAnother?: () => Promise<Database>;
  close(): Promise<void>;
}

const TENANT_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const TENANT_B = '0b0b0b0b-0000-4000-8000-00000000000b';

const NOTES_MIGRATION = `
CREATE TABLE notes (
  id integer PRIMARY KEY,
  tenant_id uuid NOT NULL,
  body text NOT NULL
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notes USING (tenant_visible(tenant_id));
`;

interface NotesDb {
  notes: { id: number; tenant_id: string; body: string };
}

/** The one behaviour every database adapter must have; run against PGlite and real PostgreSQL. */
export function databaseContract(open: () => Promise<DatabaseFixture>): void {
  let fixture: DatabaseFixture;
  let db: Database;
  const dirs: string[] = [];

  beforeAll(async () => {
    fixture = await open();
    db = fixture.db;
  });

  afterAll(async () => {
    await fixture?.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  const uniqueSchema = () => `t_${randomBytes(5).toString('hex')}`;

  async function migrationsDir(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'fr-migrations-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return dir;
  }

  async function notesSchema(): Promise<string> {
    const schema = uniqueSchema();
    const dir = await migrationsDir({ '0001_notes.sql': NOTES_MIGRATION });
    await migrateService(db, { service: 'test', schema, dir });
    await db.scoped<NotesDb>(schema).asSystem((tx) =>
      tx
        .insertInto('notes')
        .values([
          { id: 1, tenant_id: TENANT_A, body: 'a1' },
          { id: 2, tenant_id: TENANT_B, body: 'b1' },
        ])
        .execute(),
    );
    return schema;
  }

  describe('queries', () => {
    it('returns values in the same shapes on every adapter', async () => {
      const { rows } = await sql<Record<string, unknown>>`
        select 9007199254740993::int8 as big, 42::int4 as int, 1.50::numeric as num, true as flag,
               '2024-03-20'::date as day, '2024-03-20T10:00:00Z'::timestamptz as at,
               ${JSON.stringify({ a: [1, 'ب'] })}::jsonb as doc, '\\x00ff'::bytea as bin,
               array['x', 'y']::text[] as list, ${TENANT_A}::uuid as id, null::text as nothing`.execute(
        db.kysely,
      );
      expect(rows[0]).toEqual({
        big: '9007199254740993',
        int: 42,
        num: '1.50',
        flag: true,
        day: '2024-03-20',
        at: new Date('2024-03-20T10:00:00Z'),
        doc: { a: [1, 'ب'] },
        bin: Buffer.from([0, 255]),
        list: ['x', 'y'],
        id: TENANT_A,
        nothing: null,
      });
    });

    it('reports affected rows of writes through the query builder', async () => {
      const schema = await notesSchema();
      const updated = await db
        .scoped<NotesDb>(schema)
        .asSystem((tx) =>
          tx.updateTable('notes').set({ body: 'x' }).where('id', 'in', [1, 2]).executeTakeFirst(),
        );
      expect(updated.numUpdatedRows).toBe(2n);
    });

    it('answers a ping', async () => {
      await expect(db.ping()).resolves.toBeUndefined();
    });
  });

  describe('transactions', () => {
    it('commits when the work resolves and rolls back when it throws', async () => {
      const schema = await notesSchema();
      const notes = db.scoped<NotesDb>(schema);
      await notes.withTenant(TENANT_A, (tx) =>
        tx.insertInto('notes').values({ id: 10, tenant_id: TENANT_A, body: 'kept' }).execute(),
      );
      await expect(
        notes.withTenant(TENANT_A, async (tx) => {
          await tx.insertInto('notes').values({ id: 11, tenant_id: TENANT_A, body: 'lost' }).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const ids = await notes.asSystem((tx) => tx.selectFrom('notes').select('id').orderBy('id').execute());
      expect(ids.map((r) => r.id)).toEqual([1, 2, 10]);
    });

    it('refuses to commit a transaction an error aborted, even when the work swallowed the error', async () => {
      const schema = await notesSchema();
      const notes = db.scoped<NotesDb>(schema);
      await expect(
        notes.asSystem(async (tx) => {
          await tx.insertInto('notes').values({ id: 20, tenant_id: TENANT_A, body: 'first' }).execute();
          await tx
            .insertInto('notes')
            .values({ id: 20, tenant_id: TENANT_A, body: 'duplicate' })
            .execute()
            .catch(() => undefined);
        }),
      ).rejects.toThrow();
      const rows = await notes.asSystem((tx) =>
        tx.selectFrom('notes').select('id').where('id', '=', 20).execute(),
      );
      expect(rows).toEqual([]);
    });

    it('keeps work before a savepoint when rolling back to it (controlled transactions)', async () => {
      const schema = uniqueSchema();
      await migrateService(db, {
        service: 'test',
        schema,
        dir: await migrationsDir({ '0001_things.sql': 'CREATE TABLE things (id int PRIMARY KEY);' }),
      });
      const things = sql.table(`${schema}.things`);
      const tx = await db.kysely.startTransaction().execute();
      await sql`insert into ${things} values (1)`.execute(tx);
      const inner = await tx.savepoint('inner').execute();
      await sql`insert into ${things} values (2)`.execute(inner);
      await expect(sql`insert into ${things} values (2)`.execute(inner)).rejects.toThrow();
      await inner.rollbackToSavepoint('inner').execute();
      await sql`insert into ${things} values (3)`.execute(tx);
      await tx.commit().execute();
      const { rows } = await sql<{ id: number }>`select id from ${things} order by id`.execute(db.kysely);
      expect(rows.map((r) => r.id)).toEqual([1, 3]);
    });

    it('runs concurrent transactions without mixing their settings', async () => {
      const schema = await notesSchema();
      const notes = db.scoped<NotesDb>(schema);
      const seen = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          notes.withTenant(i % 2 ? TENANT_B : TENANT_A, (tx) =>
            tx.selectFrom('notes').select('body').execute(),
          ),
        ),
      );
      seen.forEach((rows, i) => {
        expect(rows.map((r) => r.body)).toEqual([i % 2 ? 'b1' : 'a1']);
      });
    });

    it('runs as the runtime role with the service schema first on the search path', async () => {
      const schema = await notesSchema();
      const state = await db.scoped(schema).withTenant(TENANT_A, (tx) =>
        sql<{ role: string; schema: string; tenant: string }>`
            select current_user as role, current_schema() as schema,
                   current_setting('app.tenant_id') as tenant`.execute(tx),
      );
      expect(state.rows[0]).toEqual({ role: RUNTIME_ROLE, schema, tenant: TENANT_A });
      // Transaction-local: the next statement on the connection is back to the connection user.
      const after = await sql<{ role: string }>`select current_user as role`.execute(db.kysely);
      expect(after.rows[0]?.role).not.toBe(RUNTIME_ROLE);
    });
  });

  describe('migrations', () => {
    it('applies platform and service migrations once, in name order', async () => {
      const schema = uniqueSchema();
      const dir = await migrationsDir({
        '0002_add_column.sql': 'ALTER TABLE things ADD COLUMN label text;',
        '0001_things.sql': 'CREATE TABLE things (id int PRIMARY KEY);\nINSERT INTO things VALUES (1), (2);',
        'README.md': 'not a migration',
      });
      const first = await migrateService(db, { service: 'test', schema, dir });
      expect(first.applied).toEqual(['platform:0001_base', '0001_things', '0002_add_column']);
      const second = await migrateService(db, { service: 'test', schema, dir });
      expect(second.applied).toEqual([]);
      const { rows: privileges } = await sql<{ table: string; any: boolean }>`
        select c.relname as table, has_table_privilege(${RUNTIME_ROLE}, c.oid, 'SELECT,INSERT,UPDATE,DELETE') as any
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relkind = 'r' and c.relname like '%migration%' order by 1`.execute(
        db.kysely,
      );
      expect(privileges).toEqual([
        { table: 'platform_migration', any: false },
        { table: 'platform_migration_lock', any: false },
        { table: 'schema_migration', any: false },
        { table: 'schema_migration_lock', any: false },
      ]);
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(`${schema}.things`)}`.execute(db.kysely);
      expect(rows[0]?.n).toBe(2);
    });

    it('applies a migration added later', async () => {
      const schema = uniqueSchema();
      const files: Record<string, string> = { '0001_a.sql': 'CREATE TABLE a (id int);' };
      const dir = await migrationsDir(files);
      await migrateService(db, { service: 'test', schema, dir });
      await writeFile(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (id int);');
      expect((await migrateService(db, { service: 'test', schema, dir })).applied).toEqual(['0002_b']);
    });

    it('is safe when several processes migrate the same schema at once', async () => {
      const schema = uniqueSchema();
      const dir = await migrationsDir({
        '0001_counter.sql': 'CREATE TABLE counter (n int); INSERT INTO counter VALUES (1);',
      });
      const others = fixture.openAnother
        ? await Promise.all([fixture.openAnother(), fixture.openAnother()])
        : [];
      try {
        const handles = [db, ...others, db];
        const outcomes = await Promise.all(
          handles.map((h) => migrateService(h, { service: 'test', schema, dir })),
        );
        const applied = outcomes.flatMap((o) => o.applied);
        expect(applied.filter((n) => n === '0001_counter')).toHaveLength(1);
        expect(applied.filter((n) => n === 'platform:0001_base')).toHaveLength(1);
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from ${sql.table(`${schema}.counter`)}`.execute(db.kysely);
        expect(rows[0]?.n).toBe(1);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    });

    it('rolls a failing batch back whole and names the failing migration', async () => {
      const schema = uniqueSchema();
      const dir = await migrationsDir({
        '0001_ok.sql': 'CREATE TABLE fine (id int);',
        '0002_broken.sql': 'CREATE TABLE broken (id int); SELECT no_such_function();',
      });
      const failure = migrateService(db, { service: 'test', schema, dir });
      await expect(failure).rejects.toBeInstanceOf(MigrationError);
      await expect(failure).rejects.toThrow(/0002_broken.*no_such_function/);
      const { rows } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
         where table_schema = ${schema} and table_name in ('fine', 'broken')`.execute(db.kysely);
      expect(rows).toEqual([]);
    });

    it('refuses a misnamed migration file', async () => {
      const dir = await migrationsDir({ '1_bad.sql': 'SELECT 1;' });
      await expect(migrateService(db, { service: 'test', schema: uniqueSchema(), dir })).rejects.toThrow(
        /not named NNNN_name\.sql/,
      );
    });

    it('creates the outbox and inbox in the service schema, writable by the runtime role only for rows', async () => {
      const schema = uniqueSchema();
      await migrateService(db, { service: 'test', schema });
      const { rows } = await sql<{ table: string; insert: boolean }>`
        select c.relname as table, has_table_privilege(${RUNTIME_ROLE}, c.oid, 'INSERT') as insert
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relkind = 'r' order by 1`.execute(db.kysely);
      expect(rows).toEqual([
        { table: 'inbox', insert: true },
        { table: 'outbox', insert: true },
        { table: 'platform_migration', insert: false },
        { table: 'platform_migration_lock', insert: false },
      ]);
    });
  });

  describe('tenant isolation (row-level security)', () => {
    it('shows a tenant only its own rows', async () => {
      const notes = db.scoped<NotesDb>(await notesSchema());
      const rows = await notes.withTenant(TENANT_A, (tx) => tx.selectFrom('notes').selectAll().execute());
      expect(rows).toEqual([{ id: 1, tenant_id: TENANT_A, body: 'a1' }]);
    });

    it("does not let a tenant update, delete or write another tenant's rows", async () => {
      const notes = db.scoped<NotesDb>(await notesSchema());
      await notes.withTenant(TENANT_A, async (tx) => {
        const updated = await tx
          .updateTable('notes')
          .set({ body: 'hijacked' })
          .where('id', '=', 2)
          .executeTakeFirst();
        expect(updated.numUpdatedRows).toBe(0n);
        const deleted = await tx.deleteFrom('notes').where('id', '=', 2).executeTakeFirst();
        expect(deleted.numDeletedRows).toBe(0n);
      });
      await expect(
        notes.withTenant(TENANT_A, (tx) =>
          tx.insertInto('notes').values({ id: 3, tenant_id: TENANT_B, body: 'x' }).execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(
        notes.withTenant(TENANT_A, (tx) =>
          tx.updateTable('notes').set({ tenant_id: TENANT_B }).where('id', '=', 1).execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      const all = await notes.asSystem((tx) => tx.selectFrom('notes').selectAll().orderBy('id').execute());
      expect(all).toEqual([
        { id: 1, tenant_id: TENANT_A, body: 'a1' },
        { id: 2, tenant_id: TENANT_B, body: 'b1' },
      ]);
    });

    it('lets the system scope see and change every tenant', async () => {
      const notes = db.scoped<NotesDb>(await notesSchema());
      const count = await notes.asSystem(async (tx) => {
        await tx.updateTable('notes').set({ body: 'seen' }).execute();
        return tx.selectFrom('notes').select('body').execute();
      });
      expect(count.map((r) => r.body)).toEqual(['seen', 'seen']);
    });

    it('shows nothing to the runtime role when no tenant is set', async () => {
      const schema = await notesSchema();
      const rows = await db.kysely.transaction().execute(async (tx) => {
        await sql`select set_config('role', ${RUNTIME_ROLE}, true)`.execute(tx);
        return sql`select * from ${sql.table(`${schema}.notes`)}`.execute(tx);
      });
      expect(rows.rows).toEqual([]);
    });

    it('refuses a tenant id that is not a UUID', async () => {
      const notes = db.scoped<NotesDb>(await notesSchema());
      await expect(notes.withTenant("x' or true --", async () => 1)).rejects.toThrow(/must be a UUID/);
    });

    it('passes the forced-RLS check for policed tables and names a table that is not forced', async () => {
      const schema = await notesSchema();
      await assertTenantTablesForceRls(db, [schema]);
      await sql
        .raw(
          `CREATE TABLE ${schema}.leaky (tenant_id uuid); ALTER TABLE ${schema}.leaky ENABLE ROW LEVEL SECURITY;`,
        )
        .execute(db.kysely);
      await expect(assertTenantTablesForceRls(db, [schema])).rejects.toThrow(
        new RegExp(`${schema}\\.leaky lacks FORCE ROW LEVEL SECURITY, a policy`),
      );
    });
  });

  describe('notifications', () => {
    it('delivers a NOTIFY after its transaction commits, and none after a rollback', async () => {
      const schema = uniqueSchema();
      await migrateService(db, { service: 'test', schema });
      const received: string[] = [];
      const listener = await db.listen(outboxChannel(schema), (payload) => received.push(payload));
      try {
        const scoped = db.scoped(schema);
        await expect(
          scoped.asSystem(async (tx) => {
            await sql`select pg_notify(${outboxChannel(schema)}, 'rolled-back')`.execute(tx);
            throw new Error('undo');
          }),
        ).rejects.toThrow('undo');
        await scoped.asSystem((tx) =>
          sql`select pg_notify(${outboxChannel(schema)}, 'committed')`.execute(tx),
        );
        await expect.poll(() => received, { timeout: 5_000 }).toEqual(['committed']);
      } finally {
        await listener.close();
      }
    });

    it('stops delivering after the listener is closed', async () => {
      const channel = `c_${randomUUID().replaceAll('-', '')}`;
      const received: string[] = [];
      const listener = await db.listen(channel, (payload) => received.push(payload));
      await sql`select pg_notify(${channel}, 'one')`.execute(db.kysely);
      await expect.poll(() => received, { timeout: 5_000 }).toEqual(['one']);
      await listener.close();
      await sql`select pg_notify(${channel}, 'two')`.execute(db.kysely);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toEqual(['one']);
    });
  });
}
