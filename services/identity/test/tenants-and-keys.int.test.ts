import { randomUUID } from 'node:crypto';
import { sampleEnvelope } from '@flatrender/contracts/testing';
import { assertTenantTablesForceRls, verifyAccessToken } from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import { createLocalJWKSet, type JWK } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  expectValidEnvelope,
  type IdentityKit,
  STRONG_PASSWORD,
  signUp,
  startIdentityKit,
  uniqueEmail,
} from './identity-test-kit';

const ADMIN_PASSWORD = 'admin-test-password-7a1c';
type Data = Record<string, unknown>;
type Auth = { authorization: string };

await describeWithServices(
  ['postgres', 'rabbitmq'],
  'identity: tenants, members, invitations, API keys',
  () => {
    let kit: IdentityKit;
    let adminAuth: Auth;
    beforeAll(async () => {
      kit = await startIdentityKit({
        env: { FLATRENDER_ADMIN_PASSWORD: ADMIN_PASSWORD, IDENTITY_SCHEDULER_INTERVAL_MS: '300' },
      });
      await kit.harness.started[0]!.parts.seed!();
      const admin = await post('/v1/auth/login', {
        email: 'admin@flatrender.local',
        password: ADMIN_PASSWORD,
      });
      adminAuth = { authorization: `Bearer ${admin.json().access_token}` };
    });
    afterAll(() => kit?.stop());

    const app = () => kit.harness.app;
    const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app().inject({
        method: 'POST',
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    const get = (url: string, headers: Auth) => app().inject({ url, headers });
    const bearer = (t: { access_token: string }): Auth => ({ authorization: `Bearer ${t.access_token}` });
    const exchange = (key: string) =>
      kit.harness.infra.internal.request<Data & { error?: { code: string } }>('identity', {
        method: 'POST',
        path: '/internal/api-keys/exchange',
        body: { key },
      });
    const jwks = async () =>
      createLocalJWKSet((await app().inject({ url: '/.well-known/jwks.json' })).json() as { keys: JWK[] });

    /** A team of `owner`, upgraded to pro by an admin's manual payment; the owner's session is switched into it. */
    async function teamOf(owner: Awaited<ReturnType<typeof signUp>>, name: string) {
      const created = await post('/v1/tenants', { name }, owner.auth);
      expect(created.statusCode, created.body).toBe(201);
      const team = created.json();
      const upgrade = await post(
        '/v1/admin/payments',
        { tenant_id: team.id, plan_code: 'pro', reference: 'bank-42' },
        adminAuth,
      );
      expect(upgrade.statusCode, upgrade.body).toBe(201);
      const switched = await post('/v1/auth/switch-tenant', {
        tenant_id: team.id,
        refresh_token: owner.refresh_token,
      });
      expect(switched.statusCode, switched.body).toBe(200);
      const session = switched.json();
      return { team, session, auth: bearer(session) };
    }

    it('creates a team, switches into it, invites, accepts, changes roles and removes members', async () => {
      const owner = await signUp(kit, 'owner');
      const created = await post('/v1/tenants', { name: 'Nour Studio' }, owner.auth);
      expect(created.statusCode).toBe(201);
      const team = created.json();
      expect(team).toMatchObject({ name: 'Nour Studio', kind: 'organization', role: 'owner' });
      expect(team.slug).toMatch(/^nour-studio-[0-9a-f]{6}$/);
      const event = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.tenant.created.v1' && (m.envelope.data as Data).tenant_id === team.id,
        'team tenant.created',
      );
      expect(expectValidEnvelope(event).data).toMatchObject({
        kind: 'organization',
        owner_user_id: owner.user.id,
      });

      const mine = await get('/v1/tenants', owner.auth);
      expect(
        mine
          .json()
          .items.map((t: { id: string }) => t.id)
          .sort(),
      ).toEqual([owner.tenant.id, team.id].sort());

      const switched = await post('/v1/auth/switch-tenant', {
        tenant_id: team.id,
        refresh_token: owner.refresh_token,
      });
      expect(switched.statusCode).toBe(200);
      const session = switched.json();
      expect(session.tenant).toMatchObject({ id: team.id, role: 'owner' });
      expect((await verifyAccessToken(session.access_token, await jwks())).tenantId).toBe(team.id);
      const auth = bearer(session);

      // The free plan has one seat: no invitation fits.
      const full = await post(
        `/v1/tenants/${team.id}/invitations`,
        { email: uniqueEmail('x'), role: 'editor' },
        auth,
      );
      expect(full.statusCode).toBe(409);
      expect(full.json().error.code).toBe('seat_limit_reached');
      expect(
        (await post('/v1/admin/payments', { tenant_id: team.id, plan_code: 'pro' }, adminAuth)).statusCode,
      ).toBe(201);
      const details = await get(`/v1/tenants/${team.id}`, auth);
      expect(details.json()).toMatchObject({ plan: { code: 'pro' }, balance: 0, currency: 'IRR' });

      const member = await signUp(kit, 'member');
      const invited = await post(
        `/v1/tenants/${team.id}/invitations`,
        { email: member.email, role: 'editor' },
        auth,
      );
      expect(invited.statusCode, invited.body).toBe(201);
      const mail = await kit.waitFor(
        (m) =>
          m.routingKey === 'notify.channel.email' &&
          (m.envelope.data as { template?: { kind: string; params: Data } }).template?.params
            .invitation_id === invited.json().id,
        'invitation email',
      );
      expectValidEnvelope(mail);
      const params = (mail.envelope.data as { template: { params: Data } }).template.params;
      expect(params).toMatchObject({
        tenant_name: 'Nour Studio',
        role: 'editor',
        inviter_name: 'Test owner',
      });
      const list = await get(`/v1/tenants/${team.id}/invitations`, auth);
      expect(list.json().items).toHaveLength(1);
      expect(JSON.stringify(list.json())).not.toContain(params.token as string);

      const stranger = await signUp(kit, 'stranger');
      // Someone else's refresh token cannot be moved into the team by a signed-in stranger.
      const hijack = await post(
        '/v1/auth/switch-tenant',
        { tenant_id: team.id, refresh_token: owner.refresh_token },
        stranger.auth,
      );
      expect(hijack.statusCode).toBe(401);
      const mismatch = await post(`/v1/invitations/${params.token}/accept`, undefined, stranger.auth);
      expect(mismatch.statusCode).toBe(403);
      expect(mismatch.json().error.code).toBe('invitation_email_mismatch');
      const accepted = await post(`/v1/invitations/${params.token}/accept`, undefined, member.auth);
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect(accepted.json()).toMatchObject({ id: team.id, role: 'editor' });

      const members = await get(`/v1/tenants/${team.id}/members`, auth);
      expect(
        members
          .json()
          .items.map((m: { role: string }) => m.role)
          .sort(),
      ).toEqual(['editor', 'owner']);
      const memberSession = (
        await post('/v1/auth/switch-tenant', { tenant_id: team.id, refresh_token: member.refresh_token })
      ).json();
      const memberAuth = bearer(memberSession);
      expect(memberSession.tenant.role).toBe('editor');
      const editorInvite = await post(
        `/v1/tenants/${team.id}/invitations`,
        { email: uniqueEmail('y') },
        memberAuth,
      );
      expect(editorInvite.statusCode).toBe(403);
      expect(editorInvite.json().error.code).toBe('insufficient_role');

      const demote = await app().inject({
        method: 'PATCH',
        url: `/v1/tenants/${team.id}/members/${member.user.id}`,
        headers: auth,
        payload: { role: 'viewer' },
      });
      expect(demote.json()).toEqual({ user_id: member.user.id, role: 'viewer' });
      const ownerChange = await app().inject({
        method: 'PATCH',
        url: `/v1/tenants/${team.id}/members/${owner.user.id}`,
        headers: auth,
        payload: { role: 'viewer' },
      });
      expect(ownerChange.json().error.code).toBe('owner_immutable');
      const badRole = await app().inject({
        method: 'PATCH',
        url: `/v1/tenants/${team.id}/members/${member.user.id}`,
        headers: auth,
        payload: { role: 'owner' },
      });
      expect(badRole.statusCode).toBe(400);
      expect(badRole.json().error.field).toBe('role');

      const removed = await app().inject({
        method: 'DELETE',
        url: `/v1/tenants/${team.id}/members/${member.user.id}`,
        headers: auth,
      });
      expect(removed.statusCode).toBe(204);
      // The removed member's session falls back to their personal tenant at the next refresh.
      const back = await post('/v1/auth/refresh', { refresh_token: memberSession.refresh_token });
      expect(back.json().tenant.id).toBe(member.tenant.id);
    });

    it('signs up through an invitation: the address counts as verified and the team is joined', async () => {
      const owner = await signUp(kit, 'inviter');
      const { team, auth } = await teamOf(owner, 'Invite Co');
      const email = uniqueEmail('newbie');
      const invited = await post(`/v1/tenants/${team.id}/invitations`, { email, role: 'viewer' }, auth);
      const mail = await kit.waitFor(
        (m) =>
          (m.envelope.data as { template?: { params: Data } }).template?.params.invitation_id ===
          invited.json().id,
        'invitation email',
      );
      const token = (mail.envelope.data as { template: { params: { token: string } } }).template.params.token;
      const reg = await post('/v1/auth/register', {
        email,
        password: STRONG_PASSWORD,
        display_name: 'Newbie',
        locale: 'en',
        invitation_token: token,
      });
      expect(reg.statusCode).toBe(202);
      const registered = await kit.waitFor(
        (m) => m.routingKey === 'identity.user.registered.v1' && (m.envelope.data as Data).email === email,
        'registered via invitation',
      );
      expect(expectValidEnvelope(registered).data).toMatchObject({
        signup_method: 'invitation',
        email_verified: true,
        verification: null,
      });
      const login = await post('/v1/auth/login', { email, password: STRONG_PASSWORD });
      expect(login.statusCode, login.body).toBe(200);
      expect(login.json().tenant).toMatchObject({ id: team.id, role: 'viewer' });
    });

    it('API keys: shown once, stored hashed, exchanged for scoped short-lived tokens, cut to the creator role, revocable', async () => {
      const owner = await signUp(kit, 'keys');
      const personalKey = await post('/v1/api-keys', { name: 'ci', scopes: ['renders:read'] }, owner.auth);
      expect(personalKey.statusCode).toBe(403);
      expect(personalKey.json().error.code).toBe('api_access_disabled');

      const { team, auth } = await teamOf(owner, 'Keys Inc');
      const created = await post(
        '/v1/api-keys',
        { name: 'ci', scopes: ['renders:read', 'renders:write', 'webhooks:write'] },
        auth,
      );
      expect(created.statusCode, created.body).toBe(201);
      const { key, api_key: view } = created.json();
      expect(key).toMatch(/^fr_[a-z0-9]{8}_[0-9a-f]{48}$/);
      expect(key.startsWith(`${view.prefix}_`)).toBe(true);
      const event = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.api_key.created.v1' && (m.envelope.data as Data).api_key_id === view.id,
        'api_key.created',
      );
      expect(JSON.stringify(expectValidEnvelope(event))).not.toContain(key.slice(12));
      const stored = await kit.harness
        .database!.scoped('identity')
        .asSystem((tx) =>
          tx.selectFrom('api_keys').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow(),
        );
      expect(JSON.stringify(stored)).not.toContain(key.slice(12));
      const listed = await get('/v1/api-keys', auth);
      expect(listed.json().items).toEqual([
        expect.objectContaining({ id: view.id, prefix: view.prefix, last_used_at: null }),
      ]);
      expect(JSON.stringify(listed.json())).not.toContain(key.slice(12));

      const exchanged = await exchange(key);
      expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
      const expiresIn = (new Date(exchanged.body.expires_at as string).getTime() - Date.now()) / 1000;
      expect(expiresIn).toBeGreaterThan(200);
      expect(expiresIn).toBeLessThanOrEqual(300);
      const principal = await verifyAccessToken(exchanged.body.access_token as string, await jwks());
      expect(principal).toMatchObject({
        kind: 'api_key',
        apiKeyId: view.id,
        tenantId: team.id,
        userId: owner.user.id,
        role: 'owner',
        platformAdmin: false,
      });
      expect([...principal.scopes].sort()).toEqual(['renders:read', 'renders:write', 'webhooks:write']);
      expect(exchanged.body.principal).toMatchObject({
        kind: 'api_key',
        apiKeyId: view.id,
        tenantId: team.id,
      });
      expect((await get('/v1/api-keys', auth)).json().items[0].last_used_at).not.toBeNull();

      // An API key cannot act as a user: account, billing, keys and members are user-only.
      const asKey = { authorization: `Bearer ${exchanged.body.access_token}` };
      const keyMakesKey = await post('/v1/api-keys', { name: 'x', scopes: ['renders:read'] }, asKey);
      expect(keyMakesKey.json().error.code).toBe('user_required');

      // A key held by an admin shrinks when the admin is demoted and dies when they leave.
      const adminUser = await signUp(kit, 'keyadmin');
      const inv = await post(
        `/v1/tenants/${team.id}/invitations`,
        { email: adminUser.email, role: 'admin' },
        auth,
      );
      const invMail = await kit.waitFor(
        (m) =>
          (m.envelope.data as { template?: { params: Data } }).template?.params.invitation_id ===
          inv.json().id,
        'admin invitation',
      );
      const invToken = (invMail.envelope.data as { template: { params: { token: string } } }).template.params
        .token;
      expect((await post(`/v1/invitations/${invToken}/accept`, undefined, adminUser.auth)).statusCode).toBe(
        200,
      );
      const adminSession = (
        await post('/v1/auth/switch-tenant', { tenant_id: team.id, refresh_token: adminUser.refresh_token })
      ).json();
      const adminKey = (
        await post(
          '/v1/api-keys',
          { name: 'ops', scopes: ['webhooks:write', 'renders:read'] },
          bearer(adminSession),
        )
      ).json();
      await app().inject({
        method: 'PATCH',
        url: `/v1/tenants/${team.id}/members/${adminUser.user.id}`,
        headers: auth,
        payload: { role: 'editor' },
      });
      const shrunk = await exchange(adminKey.key);
      expect((shrunk.body.principal as { scopes: string[] }).scopes).toEqual(['renders:read']);
      await app().inject({
        method: 'DELETE',
        url: `/v1/tenants/${team.id}/members/${adminUser.user.id}`,
        headers: auth,
      });
      expect((await exchange(adminKey.key)).status).toBe(401);

      // Suspension stops the tenant's keys; lifting it restores them.
      expect(
        (
          await post(
            `/v1/admin/tenants/${team.id}/suspend`,
            { reason_code: 'abuse', note: 'spam renders' },
            adminAuth,
          )
        ).statusCode,
      ).toBe(204);
      const suspended = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.tenant.suspended.v1' && (m.envelope.data as Data).tenant_id === team.id,
        'tenant.suspended',
      );
      expect(expectValidEnvelope(suspended).data).toMatchObject({
        reason_code: 'abuse',
        suspended_until: null,
      });
      const refused = await exchange(key);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('tenant_suspended');
      expect((await post(`/v1/admin/tenants/${team.id}/unsuspend`, undefined, adminAuth)).statusCode).toBe(
        204,
      );
      expect((await exchange(key)).status).toBe(200);

      const revoked = await app().inject({ method: 'DELETE', url: `/v1/api-keys/${view.id}`, headers: auth });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revoked_at).not.toBeNull();
      const revokedEvent = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.api_key.revoked.v1' && (m.envelope.data as Data).api_key_id === view.id,
        'api_key.revoked',
      );
      expect(expectValidEnvelope(revokedEvent).data).toMatchObject({
        prefix: view.prefix,
        reason_code: 'owner',
      });
      const dead = await exchange(key);
      expect(dead.status).toBe(401);
      expect(dead.body.error?.code).toBe('invalid_api_key');

      for (const bad of [
        '',
        'fr_nothing',
        `${key.slice(0, -1)}0`.replace(/.$/, key.endsWith('0') ? '1' : '0'),
        key.toUpperCase(),
      ]) {
        const res = await exchange(bad);
        expect([400, 401]).toContain(res.status);
      }
    });

    it('expired keys are refused and announced as revoked by the scheduler', async () => {
      const owner = await signUp(kit, 'expiry');
      const { auth } = await teamOf(owner, 'Expiry Ltd');
      const soon = new Date(Date.now() + 1500).toISOString();
      const created = (
        await post('/v1/api-keys', { name: 'short', scopes: ['templates:read'], expires_at: soon }, auth)
      ).json();
      expect((await exchange(created.key)).status).toBe(200);
      const revoked = await kit.waitFor(
        (m) =>
          m.routingKey === 'identity.api_key.revoked.v1' &&
          (m.envelope.data as Data).api_key_id === created.api_key.id,
        'expired key revoked',
        15_000,
      );
      expect(expectValidEnvelope(revoked).data).toMatchObject({ reason_code: 'expired' });
      expect((await exchange(created.key)).status).toBe(401);
      const past = await post(
        '/v1/api-keys',
        { name: 'past', scopes: ['templates:read'], expires_at: '2001-01-01T00:00:00Z' },
        auth,
      );
      expect(past.statusCode).toBe(400);
      expect(past.json().error.field).toBe('expires_at');
    });

    it("keeps render's usage reports per tenant and period, each once", async () => {
      const owner = await signUp(kit, 'usage');
      const period = new Date().toISOString().slice(0, 7);
      const report = (total: number) =>
        sampleEnvelope('tenant.usage.recorded.v1', {
          tenant_id: owner.tenant.id,
          data: {
            usage_id: randomUUID(),
            metric: 'render_seconds',
            quantity: 12,
            period,
            period_total: total,
            period_limit: 300,
          },
        });
      const first = report(12);
      await kit.harness.bus.publish(first);
      await kit.harness.bus.publish(first);
      await kit.harness.bus.publish(report(30));
      const deadline = Date.now() + 10_000;
      let totals: Record<string, number> = {};
      while (Date.now() < deadline) {
        totals = (await get(`/v1/tenants/${owner.tenant.id}`, owner.auth)).json().usage.totals;
        if (totals.render_seconds === 30) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(totals).toEqual({ render_seconds: 30 });
      const rows = await kit.harness
        .database!.scoped('identity')
        .withTenant(owner.tenant.id, (tx) => tx.selectFrom('usage_records').select('usage_id').execute());
      expect(rows).toHaveLength(2);
    });

    it("keeps tenants apart: nobody reads or changes another tenant's members, invitations, keys or payments", async () => {
      const alice = await signUp(kit, 'alice');
      const a = await teamOf(alice, 'Alice Team');
      const bob = await signUp(kit, 'bob');
      const b = await teamOf(bob, 'Bob Team');
      const aKey = (await post('/v1/api-keys', { name: 'a', scopes: ['renders:read'] }, a.auth)).json();
      const aInvite = (
        await post(`/v1/tenants/${a.team.id}/invitations`, { email: uniqueEmail('inv') }, a.auth)
      ).json();
      const aPayment = (await app().inject({ url: '/v1/payments', headers: a.auth })).json().items[0];
      expect(aPayment).toBeDefined();

      const asBob = b.auth;
      const reads = [
        `/v1/tenants/${a.team.id}`,
        `/v1/tenants/${a.team.id}/members`,
        `/v1/tenants/${a.team.id}/invitations`,
        `/v1/payments/${aPayment.id}`,
      ];
      for (const url of reads) {
        const res = await get(url, asBob);
        expect(res.statusCode, url).toBe(404);
      }
      const writes = [
        { method: 'PATCH' as const, url: `/v1/tenants/${a.team.id}`, payload: { name: 'pwned' } },
        {
          method: 'PATCH' as const,
          url: `/v1/tenants/${a.team.id}/members/${alice.user.id}`,
          payload: { role: 'viewer' },
        },
        { method: 'DELETE' as const, url: `/v1/tenants/${a.team.id}/members/${alice.user.id}` },
        {
          method: 'POST' as const,
          url: `/v1/tenants/${a.team.id}/invitations`,
          payload: { email: uniqueEmail('z') },
        },
        { method: 'DELETE' as const, url: `/v1/tenants/${a.team.id}/invitations/${aInvite.id}` },
        { method: 'DELETE' as const, url: `/v1/api-keys/${aKey.api_key.id}` },
      ];
      for (const w of writes) {
        const res = await app().inject({
          ...w,
          headers: asBob,
          ...(w.payload ? { payload: w.payload } : {}),
        });
        expect(res.statusCode, `${w.method} ${w.url}`).toBe(404);
      }
      // Bob's own team, same routes with Alice's ids inside: still nothing of hers.
      expect(
        (
          await app().inject({
            method: 'DELETE',
            url: `/v1/tenants/${b.team.id}/invitations/${aInvite.id}`,
            headers: asBob,
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await app().inject({
            method: 'DELETE',
            url: `/v1/tenants/${b.team.id}/members/${alice.user.id}`,
            headers: asBob,
          })
        ).statusCode,
      ).toBe(404);
      const bobKeys = (await get('/v1/api-keys', asBob)).json().items;
      expect(bobKeys.map((k: { id: string }) => k.id)).not.toContain(aKey.api_key.id);
      const bobPayments = (await get('/v1/payments', asBob)).json().items;
      expect(bobPayments.map((p: { id: string }) => p.id)).not.toContain(aPayment.id);
      // Alice's things are intact.
      expect((await exchange(aKey.key)).status).toBe(200);
      expect((await get(`/v1/tenants/${a.team.id}`, a.auth)).json().name).toBe('Alice Team');
      expect((await get(`/v1/tenants/${a.team.id}/invitations`, a.auth)).json().items).toHaveLength(1);

      // Row-level security itself: a transaction scoped to Bob's tenant sees none of Alice's rows.
      const db = kit.harness.database!.scoped('identity');
      for (const table of [
        'memberships',
        'invitations',
        'api_keys',
        'payments',
        'subscriptions',
        'balance_entries',
      ]) {
        const rows = await db.withTenant(b.team.id, (tx) =>
          tx.selectFrom(table).select('tenant_id').where('tenant_id', '=', a.team.id).execute(),
        );
        expect(rows, table).toEqual([]);
      }
      const tenantsSeen = await db.withTenant(b.team.id, (tx) =>
        tx.selectFrom('tenants').select('id').execute(),
      );
      expect(tenantsSeen).toEqual([{ id: b.team.id }]);
      await expect(
        db.withTenant(b.team.id, (tx) =>
          tx
            .insertInto('api_keys')
            .values({
              id: randomUUID(),
              tenant_id: a.team.id,
              created_by: bob.user.id,
              name: 'x',
              prefix: 'fr_zzzzzzzz',
              secret_hash: 'x',
              scopes: '[]',
            })
            .execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      await assertTenantTablesForceRls(kit.harness.database!, ['identity']);
    });
  },
);
