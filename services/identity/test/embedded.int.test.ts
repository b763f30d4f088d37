import { verifyAccessToken } from '@flatrender/platform';
import { createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IdentityKit, signUp, startIdentityKit } from './identity-test-kit';

// The one-process mode: the same SQL and flows on PGlite and the in-process bus.
describe('identity on PGlite and the in-process bus', () => {
  let kit: IdentityKit;
  beforeAll(async () => {
    kit = await startIdentityKit({
      database: 'pglite',
      bus: 'in-process',
      env: { FLATRENDER_ADMIN_PASSWORD: 'embedded-admin-pass-1', IDENTITY_SCHEDULER_INTERVAL_MS: '300' },
    });
    await kit.harness.started[0]!.parts.seed!();
    await kit.harness.started[0]!.parts.seed!();
  });
  afterAll(() => kit?.stop());

  it('signs up, refreshes, buys a plan manually and lets it expire', async () => {
    const s = await signUp(kit, 'embedded');
    const jwks = createLocalJWKSet((await kit.harness.app.inject({ url: '/.well-known/jwks.json' })).json());
    expect((await verifyAccessToken(s.access_token, jwks)).tenantId).toBe(s.tenant.id);
    const refreshed = await kit.harness.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: s.refresh_token },
    });
    expect(refreshed.statusCode).toBe(200);

    const admin = await kit.harness.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'admin@flatrender.local', password: 'embedded-admin-pass-1' },
    });
    const adminAuth = { authorization: `Bearer ${admin.json().access_token}` };
    const paid = await kit.harness.app.inject({
      method: 'POST',
      url: '/v1/admin/payments',
      headers: adminAuth,
      payload: { tenant_id: s.tenant.id, plan_code: 'pro' },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const admins = await kit.harness.app.inject({
      url: '/v1/admin/users?q=admin%40flatrender',
      headers: adminAuth,
    });
    expect(admins.json().items).toHaveLength(1);

    await kit.harness.database!.scoped('identity').asSystem((tx) =>
      tx
        .updateTable('subscriptions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('tenant_id', '=', s.tenant.id)
        .where('status', '=', 'active')
        .execute(),
    );
    await kit.waitFor(
      (m) =>
        m.routingKey === 'identity.plan.expired.v1' &&
        (m.envelope.data as { tenant_id: string }).tenant_id === s.tenant.id,
      'plan.expired',
      15_000,
    );
  });
});
