import { switchTenant } from '@/lib/server/switch-tenant';

export const dynamic = 'force-dynamic';

export const POST = switchTenant;
