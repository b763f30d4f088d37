import { randomBytes } from 'node:crypto';

/**
 * A URL-safe tenant slug from a name (`lowercase-words`), with a random tail so that two tenants with
 * the same name never collide. Names in Persian script give only the tail plus a fallback word.
 */
export function tenantSlug(name: string, fallback = 'team'): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return `${base || fallback}-${randomBytes(3).toString('hex')}`;
}
