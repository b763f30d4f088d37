import type { Tx } from '@flatrender/platform';
import type { Selectable } from 'kysely';
import type { IdentityDb, UserTable } from './identity.tables';

export type UserRow = Selectable<UserTable>;
type T = Tx<IdentityDb>;

export function findUserByEmail(tx: T, email: string): Promise<UserRow | undefined> {
  return tx.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUser(
  tx: T,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<UserRow | undefined> {
  let query = tx.selectFrom('users').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function insertUser(
  tx: T,
  user: Pick<UserRow, 'id' | 'email' | 'password_hash' | 'display_name' | 'locale'> & {
    email_verified_at?: Date | null;
    platform_admin?: boolean;
  },
): Promise<UserRow> {
  return tx
    .insertInto('users')
    .values({ ...user, email: user.email.toLowerCase() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateUser(
  tx: T,
  id: string,
  changes: Partial<
    Pick<
      UserRow,
      | 'password_hash'
      | 'display_name'
      | 'locale'
      | 'email_verified_at'
      | 'personal_tenant_id'
      | 'last_tenant_id'
      | 'banned_at'
      | 'banned_until'
      | 'ban_reason'
      | 'ban_note'
      | 'last_login_at'
    >
  >,
): Promise<UserRow> {
  return tx
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface UserListQuery {
  search?: string;
  banned?: boolean;
  limit: number;
  /** Keyset cursor: the last row's created_at and id. */
  after?: { createdAt: Date; id: string };
}

export function listUsers(tx: T, query: UserListQuery): Promise<UserRow[]> {
  let q = tx.selectFrom('users').selectAll();
  if (query.search) {
    const like = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('email', 'like', like), eb(eb.fn('lower', ['display_name']), 'like', like)]),
    );
  }
  if (query.banned !== undefined) q = q.where('banned_at', query.banned ? 'is not' : 'is', null);
  if (query.after) {
    const { createdAt, id } = query.after;
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

/** Users whose timed ban has run out (the scheduler lifts them). */
export function usersWithEndedBans(tx: T, now: Date, limit: number): Promise<UserRow[]> {
  return tx
    .selectFrom('users')
    .selectAll()
    .where('banned_at', 'is not', null)
    .where('banned_until', '<=', now)
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function isBanned(user: Pick<UserRow, 'banned_at' | 'banned_until'>, now = new Date()): boolean {
  return user.banned_at !== null && (user.banned_until === null || user.banned_until > now);
}
