import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/feedback';
import type { ApiKey, Page, TenantDetails } from '@/features/account/account-types';
import { ApiKeysManager } from '@/features/account/api-keys-manager';
import { RoleNotice } from '@/features/account/role-gate';
import { developerText } from '@/i18n/dictionaries/developer';
import { getLocale, getT } from '@/i18n/server';
import { requireSession, serverGet } from '@/lib/server/api';

export async function generateMetadata(): Promise<Metadata> {
  return { title: developerText[await getLocale()]['keys.title'] };
}

/** The origin programs use for the API (shown in the example); the web app's own proxy is not it. */
function publicApiOrigin(): string {
  return (process.env.GATEWAY_PUBLIC_URL ?? process.env.GATEWAY_URL ?? 'http://localhost:8080').replace(
    /\/+$/,
    '',
  );
}

export default async function ApiKeysPage() {
  const session = await requireSession('/account/api-keys');
  const t = await getT(developerText);
  const header = <PageHeader title={t('keys.title')} description={t('keys.lead')} />;
  const gate = await RoleNotice({ session, minimum: 'admin' });
  if (gate)
    return (
      <>
        {header}
        {gate}
      </>
    );
  const [keys, tenant] = await Promise.all([
    serverGet<Page<ApiKey>>('/v1/api-keys?limit=100'),
    serverGet<TenantDetails>(`/v1/tenants/${session.tenant.id}`),
  ]);
  return (
    <>
      {header}
      <ApiKeysManager
        initial={keys.items}
        apiAccess={tenant.plan.limits.api_access === true}
        gatewayOrigin={publicApiOrigin()}
      />
    </>
  );
}
