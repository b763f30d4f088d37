import { login } from '@/lib/server/auth-handlers';

export const dynamic = 'force-dynamic';

export const POST = login;
