import { me } from '@/lib/server/auth-handlers';

export const dynamic = 'force-dynamic';

export const GET = me;
