import { fileURLToPath } from 'node:url';
import { defineService, readConfig, type ScopedDatabase } from '@flatrender/platform';
import { AccessTokenIssuer } from './access-token.issuer';
import { AccountManager } from './account.manager';
import { ApiKeyManager } from './api-key.manager';
import { BillingManager } from './billing.manager';
import { usageRecordedHandler } from './handlers/usage.handler';
import { identityConfigShape } from './identity.config';
import type { IdentityDeps } from './identity.deps';
import { IdentityScheduler } from './identity.scheduler';
import type { IdentityDb } from './identity.tables';
import { PasswordHasher } from './password.hasher';
import { ManualProvider } from './payments/manual.provider';
import {
  ZARINPAL_PRODUCTION_URL,
  ZARINPAL_SANDBOX_URL,
  ZarinpalProvider,
} from './payments/zarinpal.provider';
import { registerAdminRoutes } from './routes/admin.routes';
import { registerApiKeyRoutes } from './routes/api-keys.routes';
import { registerAuthRoutes } from './routes/auth.routes';
import { registerBillingRoutes } from './routes/billing.routes';
import { registerKeyRoutes } from './routes/internal.routes';
import { registerMeRoutes } from './routes/me.routes';
import { registerTenantRoutes } from './routes/tenants.routes';
import { SessionManager } from './session.manager';
import * as sessionRepo from './session.repository';
import { SigningKeyStore } from './signing-key.store';
import { TenantManager } from './tenant.manager';

export { identityConfigShape } from './identity.config';

/**
 * Users, tenants, members and invitations, plans and payments, API keys, and the access tokens every
 * other service verifies (JWKS). Schema `identity`.
 */
export const identityService = defineService({
  name: 'identity',
  schema: 'identity',
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  setup: (ctx) => {
    if (!ctx.db) throw new Error('identity needs a database');
    const config = readConfig(identityConfigShape);
    const db = ctx.db as unknown as ScopedDatabase<IdentityDb>;
    const keys = new SigningKeyStore({
      db,
      secret: ctx.secret,
      logger: ctx.logger,
      rotationDays: config.signingKeyRotationDays,
      // Tokens signed just before retirement stay valid for their lifetime; the margin covers caches.
      publishRetiredForMs: config.accessTokenTtlSeconds * 2_000 + 120_000,
    });
    const zarinpalBase =
      config.zarinpalBaseUrl ?? (config.zarinpalSandbox ? ZARINPAL_SANDBOX_URL : ZARINPAL_PRODUCTION_URL);
    const deps: IdentityDeps = {
      ctx,
      db,
      config,
      hasher: new PasswordHasher(),
      keys,
      issuer: new AccessTokenIssuer(keys),
      ...(config.zarinpalMerchantId
        ? { zarinpal: new ZarinpalProvider({ merchantId: config.zarinpalMerchantId, baseUrl: zarinpalBase }) }
        : {}),
      manual: new ManualProvider(),
      paymentReturnUrl: config.paymentReturnUrl ?? `${ctx.config.webOrigin}/billing/return`,
    };
    const billing = new BillingManager(deps);
    const tenants = new TenantManager(deps, billing);
    const accounts = new AccountManager(deps, tenants);
    const sessions = new SessionManager(deps);
    const apiKeys = new ApiKeyManager(deps, billing);

    const scheduler = new IdentityScheduler(
      [
        { name: 'plan expiry', run: () => billing.expireDueSubscriptions() },
        { name: 'ban ends', run: () => accounts.liftEndedBans() },
        { name: 'suspension ends', run: () => tenants.liftEndedSuspensions() },
        { name: 'api key expiry', run: () => apiKeys.revokeExpired() },
        { name: 'payment reconciliation', run: () => billing.reconcileStalePayments() },
        { name: 'signing key rotation', run: () => keys.rotateIfDue() },
        {
          name: 'session cleanup',
          run: () =>
            db.asSystem(async (tx) => {
              const dayAgo = new Date(Date.now() - 86_400_000);
              return (
                (await sessionRepo.deleteExpiredFamilies(tx, dayAgo)) +
                (await sessionRepo.deleteExpiredEmailTokens(tx, dayAgo))
              );
            }),
        },
      ],
      config.schedulerIntervalMs,
      ctx.logger,
    );

    return {
      routes(app) {
        registerKeyRoutes(app, deps, apiKeys);
        registerAuthRoutes(app, accounts, sessions);
        registerMeRoutes(app, accounts, tenants);
        registerTenantRoutes(app, tenants);
        registerBillingRoutes(app, deps, billing, accounts);
        registerApiKeyRoutes(app, apiKeys);
        registerAdminRoutes(app, deps, accounts, tenants, billing);
      },
      events: { 'tenant.usage.recorded.v1': usageRecordedHandler(billing) },
      readiness: { signing_key: async () => void (await keys.current()) },
      async seed() {
        await billing.seedPlans();
        await accounts.seedAdmin();
      },
      async start() {
        // Plans are reference data the service cannot work without: make sure they exist even when
        // `seed` is not run (distributed processes).
        await billing.seedPlans();
        await keys.current();
        await deps.hasher.warm();
        scheduler.start();
      },
      stop: () => scheduler.stop(),
    };
  },
});
