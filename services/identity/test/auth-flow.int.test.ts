import { ACCESS_TOKEN_ALGORITHMS, verifyAccessToken } from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import { createLocalJWKSet, decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectValidEnvelope,
  type IdentityKit,
  STRONG_PASSWORD,
  signUp,
  startIdentityKit,
  uniqueEmail,
  verificationToken,
} from './identity-test-kit';

const ADMIN_PASSWORD = 'admin-test-password-9d3f';
type Data = Record<string, unknown>;

await describeWithServices(['postgres', 'rabbitmq'], 'identity: accounts and sessions', () => {
  let kit: IdentityKit;
  let jwks: ReturnType<typeof createLocalJWKSet>;
  beforeAll(async () => {
    kit = await startIdentityKit({ env: { FLATRENDER_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    await kit.harness.started[0]!.parts.seed!();
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
  const loadJwks = async () => {
    const res = await app().inject({ url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    jwks = createLocalJWKSet(res.json() as { keys: JWK[] });
    return res.json() as { keys: JWK[] };
  };

  it('register -> verify (token from the dispatched email) -> login -> refresh -> logout', async () => {
    const email = uniqueEmail('flow');
    const reg = await post('/v1/auth/register', {
      email,
      password: STRONG_PASSWORD,
      display_name: 'Sara Flow',
      locale: 'fa',
    });
    expect(reg.statusCode).toBe(202);
    expect(reg.json()).toEqual({ status: 'accepted' });

    const registered = await kit.waitFor(
      (m) => m.routingKey === 'identity.user.registered.v1' && (m.envelope.data as Data).email === email,
      'user.registered',
    );
    const envelope = expectValidEnvelope(registered);
    const data = envelope.data as Data;
    expect(data).toMatchObject({
      display_name: 'Sara Flow',
      locale: 'fa',
      signup_method: 'password',
      email_verified: false,
    });
    expect(envelope.user_id).toBe(data.user_id);
    expect(envelope.tenant_id).toBe(data.personal_tenant_id);
    const created = await kit.waitFor(
      (m) =>
        m.routingKey === 'identity.tenant.created.v1' &&
        (m.envelope.data as Data).tenant_id === data.personal_tenant_id,
      'tenant.created',
    );
    expect(expectValidEnvelope(created).data).toMatchObject({
      kind: 'personal',
      owner_user_id: data.user_id,
    });
    const activated = await kit.waitFor(
      (m) =>
        m.routingKey === 'identity.plan.activated.v1' &&
        (m.envelope.data as Data).tenant_id === data.personal_tenant_id,
      'plan.activated',
    );
    expect((expectValidEnvelope(activated).data as { plan: { code: string } }).plan.code).toBe('free');

    const early = await post('/v1/auth/login', { email, password: STRONG_PASSWORD });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('email_not_verified');

    expect((await post('/v1/auth/resend-verification', { email })).statusCode).toBe(202);
    const token = await verificationToken(kit, email, 'email');
    const mail = kit.messages.find(
      (m) => m.routingKey === 'notify.channel.email' && JSON.stringify(m.envelope.data).includes(token),
    );
    expect(mail).toBeDefined();
    expect(validateSource(expectValidEnvelope(mail!).data)).toBe('transactional');
    // The registration link was replaced by the resent one.
    const oldToken = (data.verification as { token: string }).token;
    expect((await post('/v1/auth/verify-email', { token: oldToken })).json().error.code).toBe(
      'invalid_token',
    );
    expect((await post('/v1/auth/verify-email', { token })).statusCode).toBe(204);
    const verified = await kit.waitFor(
      (m) => m.routingKey === 'identity.user.email_verified.v1' && (m.envelope.data as Data).email === email,
      'email_verified',
    );
    expectValidEnvelope(verified);
    expect((await post('/v1/auth/verify-email', { token })).statusCode).toBe(400);

    const login = await post('/v1/auth/login', { email: email.toUpperCase(), password: STRONG_PASSWORD });
    expect(login.statusCode, login.body).toBe(200);
    const tokens = login.json();
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 600,
      user: { email, display_name: 'Sara Flow', locale: 'fa', email_verified: true, platform_admin: false },
      tenant: { id: data.personal_tenant_id, kind: 'personal', role: 'owner', suspended: false },
    });
    expect(Buffer.from(tokens.refresh_token, 'base64url').length).toBeGreaterThanOrEqual(32);

    const keys = await loadJwks();
    expect(keys.keys.length).toBeGreaterThanOrEqual(1);
    for (const k of keys.keys)
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys.keys.some((k) => 'd' in k)).toBe(false);
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(ACCESS_TOKEN_ALGORITHMS).toContain(header.alg);
    const principal = await verifyAccessToken(tokens.access_token, jwks);
    expect(principal).toMatchObject({
      kind: 'user',
      userId: data.user_id,
      tenantId: data.personal_tenant_id,
      role: 'owner',
      platformAdmin: false,
      locale: 'fa',
    });
    expect(principal.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(principal.scopes).toContain('renders:write');

    const me = await app().inject({
      url: '/v1/me',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { email },
      tenant: { id: data.personal_tenant_id, role: 'owner' },
    });

    const refreshed = await post('/v1/auth/refresh', { refresh_token: tokens.refresh_token });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const next = refreshed.json();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await verifyAccessToken(next.access_token, jwks)).sessionId).toBe(principal.sessionId);

    // The web app sends the refresh token as the fr_refresh cookie.
    const byCookie = await app().inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      headers: { cookie: `theme=dark; fr_refresh=${next.refresh_token}` },
    });
    expect(byCookie.statusCode, byCookie.body).toBe(200);
    const third = byCookie.json();

    const logout = await app().inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { cookie: `fr_refresh=${third.refresh_token}` },
    });
    expect(logout.statusCode).toBe(204);
    const after = await post('/v1/auth/refresh', { refresh_token: third.refresh_token });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('session_revoked');
  });

  it('revokes the whole family when a used refresh token comes back (ASVS 10.4.5)', async () => {
    const s = await signUp(kit, 'reuse');
    const first = await post('/v1/auth/refresh', { refresh_token: s.refresh_token });
    expect(first.statusCode).toBe(200);
    const stolen = await post('/v1/auth/refresh', { refresh_token: s.refresh_token });
    expect(stolen.statusCode).toBe(401);
    expect(stolen.json().error.code).toBe('refresh_token_reused');
    const legit = await post('/v1/auth/refresh', { refresh_token: first.json().refresh_token });
    expect(legit.statusCode).toBe(401);
    expect(legit.json().error.code).toBe('session_revoked');
    // Other sessions of the same user are untouched.
    const other = await post('/v1/auth/login', { email: s.email, password: s.password });
    expect((await post('/v1/auth/refresh', { refresh_token: other.json().refresh_token })).statusCode).toBe(
      200,
    );
  });

  it('a ban ends the sessions at once, refuses sign-in, and is announced; unban restores access', async () => {
    const admin = await post('/v1/auth/login', { email: 'admin@flatrender.local', password: ADMIN_PASSWORD });
    expect(admin.statusCode, admin.body).toBe(200);
    expect(admin.json().user.platform_admin).toBe(true);
    const adminAuth = { authorization: `Bearer ${admin.json().access_token}` };
    await loadJwks();
    expect((await verifyAccessToken(admin.json().access_token, jwks)).platformAdmin).toBe(true);

    const victim = await signUp(kit, 'banned');
    const notAdmin = await post(
      `/v1/admin/users/${victim.user.id}/ban`,
      { reason_code: 'spam' },
      victim.auth,
    );
    expect(notAdmin.statusCode).toBe(403);
    expect(notAdmin.json().error.code).toBe('admin_required');

    const ban = await post(
      `/v1/admin/users/${victim.user.id}/ban`,
      { reason_code: 'spam', note: 'bulk signups' },
      adminAuth,
    );
    expect(ban.statusCode, ban.body).toBe(200);
    const event = await kit.waitFor(
      (m) =>
        m.routingKey === 'identity.user.banned.v1' && (m.envelope.data as Data).user_id === victim.user.id,
      'user.banned',
    );
    expect(expectValidEnvelope(event).data).toMatchObject({ reason_code: 'spam', banned_until: null });
    expect(event.envelope.user_id).toBe(admin.json().user.id);

    const refresh = await post('/v1/auth/refresh', { refresh_token: victim.refresh_token });
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json().error.code).toBe('session_revoked');
    const login = await post('/v1/auth/login', { email: victim.email, password: victim.password });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.code).toBe('account_banned');
    // Someone without the password learns nothing about the ban.
    const guess = await post('/v1/auth/login', { email: victim.email, password: 'not-the-password-1' });
    expect(guess.json().error.code).toBe('invalid_credentials');

    const status = await kit.harness.infra.internal.request<{ banned: boolean }>('identity', {
      method: 'GET',
      path: `/internal/users/${victim.user.id}/status`,
    });
    expect(status.body.banned).toBe(true);

    const listed = await app().inject({ url: '/v1/admin/users?banned=true&limit=5', headers: adminAuth });
    expect(listed.json().items.map((u: { id: string }) => u.id)).toContain(victim.user.id);

    expect((await post(`/v1/admin/users/${victim.user.id}/unban`, undefined, adminAuth)).statusCode).toBe(
      200,
    );
    expect(
      (await post('/v1/auth/login', { email: victim.email, password: victim.password })).statusCode,
    ).toBe(200);
  });

  it('answers an unknown email and a wrong password alike, after the same hashing work', async () => {
    const s = await signUp(kit, 'uniform');
    const unknown = () =>
      post('/v1/auth/login', { email: uniqueEmail('nobody'), password: 'whatever-password-1' });
    const wrong = () => post('/v1/auth/login', { email: s.email, password: 'whatever-password-1' });
    const a = await unknown();
    const b = await wrong();
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.json().error.code).toBe('invalid_credentials');
    const time = async (f: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await f();
        runs.push(performance.now() - t);
      }
      return runs.sort((x, y) => x - y)[3]!;
    };
    const tUnknown = await time(unknown);
    const tWrong = await time(wrong);
    // Both paths run one argon2id verification (m=19 MiB, t=2): neither is a fraction of the other.
    expect(tUnknown).toBeGreaterThan(tWrong * 0.5);
    expect(tWrong).toBeGreaterThan(tUnknown * 0.5);
  });

  it('resets a forgotten password by emailed token, ending every session', async () => {
    const s = await signUp(kit, 'reset');
    const ghost = await post('/v1/auth/password-reset/request', { email: uniqueEmail('ghost') });
    const real = await post('/v1/auth/password-reset/request', { email: s.email });
    expect(ghost.statusCode).toBe(202);
    expect(real.json()).toEqual(ghost.json());
    const mail = await kit.waitFor(
      (m) =>
        m.routingKey === 'notify.channel.email' &&
        (m.envelope.data as { recipient: { email: string } }).recipient.email === s.email &&
        (m.envelope.data as { template?: { kind: string } }).template?.kind === 'account.password_reset',
      'password reset email',
    );
    expectValidEnvelope(mail);
    const token = (mail.envelope.data as { template: { params: { token: string } } }).template.params.token;

    const weak = await post('/v1/auth/password-reset/confirm', { token, password: 'password123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({
      code: 'weak_password',
      field: 'password',
      details: { reason: 'too_common' },
    });
    const done = await post('/v1/auth/password-reset/confirm', { token, password: 'a-brand-new-passphrase' });
    expect(done.statusCode).toBe(204);
    expect(
      (await post('/v1/auth/password-reset/confirm', { token, password: 'another-new-passphrase' })).json()
        .error.code,
    ).toBe('invalid_token');
    expect((await post('/v1/auth/refresh', { refresh_token: s.refresh_token })).statusCode).toBe(401);
    expect((await post('/v1/auth/login', { email: s.email, password: s.password })).statusCode).toBe(401);
    expect(
      (await post('/v1/auth/login', { email: s.email, password: 'a-brand-new-passphrase' })).statusCode,
    ).toBe(200);
  });

  it('changes the password and the profile; other sessions end, this one stays', async () => {
    const s = await signUp(kit, 'change');
    const other = (await post('/v1/auth/login', { email: s.email, password: s.password })).json();
    const wrong = await post(
      '/v1/me/password',
      { current_password: 'nope-nope-nope', new_password: 'fresh-passphrase-77' },
      s.auth,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('current_password');
    const ok = await post(
      '/v1/me/password',
      { current_password: s.password, new_password: 'fresh-passphrase-77' },
      s.auth,
    );
    expect(ok.statusCode).toBe(204);
    expect((await post('/v1/auth/refresh', { refresh_token: other.refresh_token })).statusCode).toBe(401);
    expect((await post('/v1/auth/refresh', { refresh_token: s.refresh_token })).statusCode).toBe(200);

    const patched = await app().inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: s.auth,
      payload: { display_name: 'Renamed', locale: 'fa' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ display_name: 'Renamed', locale: 'fa' });
  });

  it('gives the same answer to a second registration of a verified email and changes nothing', async () => {
    const s = await signUp(kit, 'twice');
    // The sign-up's own email_verified event leaves through the outbox after the request; let it
    // arrive first so only what the second registration caused is counted.
    await kit.waitFor(
      (m) =>
        m.routingKey === 'identity.user.email_verified.v1' &&
        JSON.stringify(m.envelope.data).includes(s.email),
      'the sign-up email_verified event',
    );
    const before = kit.messages.length;
    const again = await post('/v1/auth/register', {
      email: s.email,
      password: 'attacker-chosen-pass',
      display_name: 'X',
      locale: 'en',
    });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ status: 'accepted' });
    expect(
      (await post('/v1/auth/login', { email: s.email, password: 'attacker-chosen-pass' })).statusCode,
    ).toBe(401);
    expect((await post('/v1/auth/login', { email: s.email, password: s.password })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const since = kit.messages.slice(before).filter((m) => JSON.stringify(m.envelope.data).includes(s.email));
    expect(since).toEqual([]);
  });

  describe('malformed input gets a 4xx error body naming the field', () => {
    const cases: [string, string, unknown, number, string, string?][] = [
      [
        'bad email',
        '/v1/auth/register',
        { email: 'nope', password: STRONG_PASSWORD, display_name: 'A' },
        400,
        'invalid_request',
        'email',
      ],
      [
        'short password',
        '/v1/auth/register',
        { email: 'a@example.com', password: 'short', display_name: 'A' },
        400,
        'weak_password',
        'password',
      ],
      [
        'common password',
        '/v1/auth/register',
        { email: 'a@example.com', password: 'qwertyuiop123', display_name: 'A' },
        400,
        'weak_password',
        'password',
      ],
      [
        'missing name',
        '/v1/auth/register',
        { email: 'a@example.com', password: STRONG_PASSWORD },
        400,
        'invalid_request',
        'display_name',
      ],
      [
        'unknown locale',
        '/v1/auth/register',
        { email: 'a@example.com', password: STRONG_PASSWORD, display_name: 'A', locale: 'de' },
        400,
        'invalid_request',
        'locale',
      ],
      [
        'login without password',
        '/v1/auth/login',
        { email: 'a@example.com' },
        400,
        'invalid_request',
        'password',
      ],
      ['refresh without token', '/v1/auth/refresh', {}, 400, 'invalid_request', 'refresh_token'],
      [
        'unknown refresh token',
        '/v1/auth/refresh',
        { refresh_token: 'x'.repeat(43) },
        401,
        'invalid_refresh_token',
      ],
      [
        'bogus verification token',
        '/v1/auth/verify-email',
        { token: 'y'.repeat(43) },
        400,
        'invalid_token',
        'token',
      ],
      ['short verification token', '/v1/auth/verify-email', { token: 'y' }, 400, 'invalid_request', 'token'],
    ];
    for (const [name, url, payload, status, code, field] of cases) {
      it(name, async () => {
        const res = await post(url, payload);
        expect(res.statusCode, res.body).toBe(status);
        const error = res.json().error;
        expect(error.code).toBe(code);
        expect(typeof error.message).toBe('string');
        if (field) {
          expect(error.field).toBe(field);
          expect(error.message).toContain(field);
        }
      });
    }

    it('invalid JSON and internal routes without a signature', async () => {
      const res = await app().inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_json');
      const internal = await app().inject({ url: '/internal/jwks' });
      expect(internal.statusCode).toBe(401);
      expect(internal.json().error.code).toBe('internal_only');
      const exchange = await post('/internal/api-keys/exchange', { key: 'fr_x' });
      expect(exchange.statusCode).toBe(401);
    });
  });
});

function validateSource(data: unknown): string {
  return (data as { source: string }).source;
}
