import { createLogger, type ScopedDatabase, verifyAccessToken } from '@flatrender/platform';
import { describeWithServices } from '@flatrender/platform/testing';
import { createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccessTokenIssuer } from '../src/access-token.issuer';
import type { IdentityDb } from '../src/identity.tables';
import { SigningKeyStore } from '../src/signing-key.store';
import { type IdentityKit, startIdentityKit } from './identity-test-kit';

await describeWithServices(['postgres', 'rabbitmq'], 'identity: signing keys', () => {
  let kit: IdentityKit;
  let db: ScopedDatabase<IdentityDb>;
  beforeAll(async () => {
    kit = await startIdentityKit();
    db = kit.harness.database!.scoped<IdentityDb>('identity');
  });
  afterAll(() => kit?.stop());

  const store = (overrides: Partial<ConstructorParameters<typeof SigningKeyStore>[0]> = {}) =>
    new SigningKeyStore({
      db,
      secret: kit.harness.infra.secret,
      logger: createLogger({ level: 'silent' }),
      rotationDays: 30,
      publishRetiredForMs: 20 * 60_000,
      cacheMs: 0,
      ...overrides,
    });
  const subject = {
    userId: '6f1c8a7e-3b1d-4b8e-9a37-1d2c3b4a5f60',
    tenantId: '0b9e8d7c-6f5e-4d3c-8b2a-19f8e7d6c5b4',
    role: 'editor' as const,
    scopes: ['renders:read' as const],
  };

  it('keeps private keys encrypted and publishes only public parts', async () => {
    const served = (await kit.harness.app.inject({ url: '/.well-known/jwks.json' })).json();
    const rows = await db.asSystem((tx) => tx.selectFrom('signing_keys').selectAll().execute());
    expect(rows).toHaveLength(1);
    expect(served.keys.map((k: { kid: string }) => k.kid)).toEqual([rows[0]!.kid]);
    expect(rows[0]!.private_key).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(rows[0]!.public_jwk).not.toHaveProperty('d');
    expect((await store().current()).kid).toBe(rows[0]!.kid);
  });

  it('rotates when due; tokens of the previous key verify until their lifetime has passed', async () => {
    const keys = store();
    const issuer = new AccessTokenIssuer(keys);
    const before = await keys.current();
    expect(await keys.rotateIfDue()).toBe(false);
    const oldToken = (await issuer.issue(subject, 600)).token;

    await db.asSystem((tx) =>
      tx
        .updateTable('signing_keys')
        .set({ created_at: new Date(Date.now() - 31 * 86_400_000) })
        .where('kid', '=', before.kid)
        .execute(),
    );
    expect(await keys.rotateIfDue()).toBe(true);
    const after = await keys.current();
    expect(after.kid).not.toBe(before.kid);
    const newToken = (await issuer.issue(subject, 600)).token;

    const published = await keys.publicKeys();
    expect(published.keys.map((k) => k.kid)).toEqual([after.kid, before.kid]);
    const jwks = createLocalJWKSet(published);
    expect((await verifyAccessToken(oldToken, jwks)).userId).toBe(subject.userId);
    expect((await verifyAccessToken(newToken, jwks)).role).toBe('editor');

    // Once the retired key's tokens have all expired it is no longer published.
    const later = store({ publishRetiredForMs: 0 });
    expect((await later.publicKeys()).keys.map((k) => k.kid)).toEqual([after.kid]);
    await expect(verifyAccessToken(oldToken, createLocalJWKSet(await later.publicKeys()))).rejects.toThrow();
  });

  it('replaces a key that no longer decrypts (the platform secret changed)', async () => {
    const current = await store().current();
    const other = store({ secret: 'another-secret-of-at-least-32-characters!!' });
    const replaced = await other.current();
    expect(replaced.kid).not.toBe(current.kid);
    // The original secret cannot read the new key either: it is replaced again, never used blindly.
    expect((await store().current()).kid).not.toBe(replaced.kid);
  });
});
