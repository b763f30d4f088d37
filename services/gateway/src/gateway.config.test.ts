import { ConfigError } from '@flatrender/platform';
import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from './gateway.config';

describe('gateway config', () => {
  it('defaults to Bannerbear-like limits and 10/min on credential endpoints', () => {
    const config = readGatewayConfig({});
    expect(config).toMatchObject({
      authenticatedMax: 30,
      sessionMax: 150,
      window: 10_000,
      authIpMax: 10,
      authWindow: 60_000,
      sseHeartbeat: 15_000,
      trustProxy: false,
    });
  });

  it('reads durations and trust-proxy forms', () => {
    const config = readGatewayConfig({
      GATEWAY_RATE_LIMIT_WINDOW: '1m',
      GATEWAY_SSE_HEARTBEAT: '500ms',
      GATEWAY_ACCESS_TOKEN_MAX_LIFETIME: '1h',
      GATEWAY_TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
    });
    expect(config.window).toBe(60_000);
    expect(config.sseHeartbeat).toBe(500);
    expect(config.accessTokenMaxLifetime).toBe(3_600_000);
    expect(config.trustProxy).toBe('10.0.0.0/8,127.0.0.1');
    expect(readGatewayConfig({ GATEWAY_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(readGatewayConfig({ GATEWAY_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('refuses nonsense with one line naming the variable', () => {
    expect(() => readGatewayConfig({ GATEWAY_RATE_LIMIT_WINDOW: 'soon' })).toThrow(ConfigError);
    expect(() => readGatewayConfig({ GATEWAY_RATE_LIMIT_WINDOW: 'soon' })).toThrow(
      /GATEWAY_RATE_LIMIT_WINDOW must be a duration/,
    );
    expect(() => readGatewayConfig({ GATEWAY_RATE_LIMIT_MAX: '0' })).toThrow(/GATEWAY_RATE_LIMIT_MAX/);
  });
});
