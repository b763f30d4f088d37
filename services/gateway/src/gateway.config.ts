import { defineConfig, env, readConfig } from '@flatrender/platform';
import { z } from 'zod';

const duration = (fallbackMs: number) =>
  z
    .string()
    .regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 500ms, 10s, 1m or 1h')
    .optional()
    .transform((v) => {
      if (v === undefined) return fallbackMs;
      const [, n = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h)$/.exec(v) ?? [];
      return Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
    });

/** The gateway's own settings: rate limits, deny-list retention, the event stream. */
export const gatewayConfigShape = defineConfig('gateway', {
  anonymousMax: {
    env: 'GATEWAY_RATE_LIMIT_ANONYMOUS_MAX',
    doc: 'Requests without credentials allowed per client IP in each window.',
    schema: env.int(60, 1),
    defaultDoc: '60',
  },
  authenticatedMax: {
    env: 'GATEWAY_RATE_LIMIT_MAX',
    doc: 'Requests allowed per API key in each window. Bannerbear allows 30 per 10 s.',
    schema: env.int(30, 1),
    defaultDoc: '30',
  },
  sessionMax: {
    env: 'GATEWAY_SESSION_RATE_LIMIT_MAX',
    doc: 'Requests allowed per signed-in person (web app sessions) in each window; an open studio polls previews, saves and notifications.',
    schema: env.int(150, 1),
    defaultDoc: '150',
  },
  window: {
    env: 'GATEWAY_RATE_LIMIT_WINDOW',
    doc: 'Window of the general limits.',
    schema: duration(10_000),
    defaultDoc: '10s',
  },
  authIpMax: {
    env: 'GATEWAY_AUTH_RATE_LIMIT_MAX',
    doc: 'Login, register, password-reset and refresh requests allowed per client IP in each auth window.',
    schema: env.int(10, 1),
    defaultDoc: '10',
  },
  authEmailMax: {
    env: 'GATEWAY_AUTH_EMAIL_RATE_LIMIT_MAX',
    doc: 'The same requests allowed per email address (from any IP) in each auth window.',
    schema: env.int(5, 1),
    defaultDoc: '5',
  },
  authWindow: {
    env: 'GATEWAY_AUTH_RATE_LIMIT_WINDOW',
    doc: 'Window of the credential-endpoint limits.',
    schema: duration(60_000),
    defaultDoc: '1m',
  },
  accessTokenMaxLifetime: {
    env: 'GATEWAY_ACCESS_TOKEN_MAX_LIFETIME',
    doc: 'Longest access-token lifetime identity issues (plus clock tolerance); a ban is remembered this long.',
    schema: duration(16 * 60_000),
    defaultDoc: '16m',
  },
  sseHeartbeat: {
    env: 'GATEWAY_SSE_HEARTBEAT',
    doc: 'Interval of the comment line that keeps idle event streams open through proxies.',
    schema: duration(15_000),
    defaultDoc: '15s',
  },
  sseMaxStreamsPerTenant: {
    env: 'GATEWAY_SSE_MAX_STREAMS_PER_TENANT',
    doc: 'Open event streams allowed per tenant on one gateway process.',
    schema: env.int(50, 1),
    defaultDoc: '50',
  },
  redisPrefix: {
    env: 'GATEWAY_REDIS_PREFIX',
    doc: 'Prefix of the Redis keys of rate limits and stream tickets (deployments sharing one Redis use different ones).',
    schema: z.string().min(1).max(100).default('flatrender:'),
    defaultDoc: 'flatrender:',
  },
  trustProxy: {
    env: 'GATEWAY_TRUST_PROXY',
    doc: 'Whose X-Forwarded-For to believe for client IPs (rate limits): false, true, a hop count, or comma-separated addresses/CIDRs of your load balancers.',
    schema: z
      .string()
      .optional()
      .transform((v): boolean | number | string => {
        if (v === undefined || v === 'false') return false;
        if (v === 'true') return true;
        if (/^\d+$/.test(v)) return Number(v);
        return v;
      }),
    defaultDoc: 'false',
  },
});

export type GatewayConfig = ReturnType<typeof readGatewayConfig>;

export function readGatewayConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return readConfig(gatewayConfigShape, source);
}
