import type { Locale } from '@flatrender/contracts';
import type { InternalClient } from '@flatrender/platform';
import type { RecipientFacts, TenantFacts } from './contacts.repository';

/**
 * Asks identity about a user or tenant notification has not heard of (an event named it before its
 * registration reached this service, or this service started after it). Never called inside a
 * transaction: the one-process mode has a single database connection.
 */
export class IdentityContacts {
  constructor(private readonly internal: InternalClient) {}

  async user(userId: string): Promise<RecipientFacts | null> {
    const res = await this.internal.request<{
      user_id: string;
      email: string;
      display_name: string;
      locale: Locale;
      email_verified: boolean;
      personal_tenant_id: string | null;
    }>('identity', { method: 'GET', path: `/internal/users/${userId}/contact` });
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`identity answered ${res.status} for user ${userId}`);
    const { user_id, email, display_name, locale, email_verified, personal_tenant_id } = res.body;
    return { user_id, email, display_name, locale, email_verified, personal_tenant_id };
  }

  async tenant(tenantId: string): Promise<TenantFacts | null> {
    const res = await this.internal.request<TenantFacts>('identity', {
      method: 'GET',
      path: `/internal/tenants/${tenantId}/contact`,
    });
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`identity answered ${res.status} for tenant ${tenantId}`);
    const { tenant_id, name, kind, owner_user_id, locale } = res.body;
    return { tenant_id, name, kind, owner_user_id, locale };
  }
}
