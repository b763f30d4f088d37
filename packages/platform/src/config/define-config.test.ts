import { describe, expect, it } from 'vitest';
import { ConfigError } from './define-config';
import { loadPlatformConfig } from './platform.config';

describe('platform config', () => {
  it('applies defaults when nothing is set (embedded mode)', () => {
    const config = loadPlatformConfig({});
    expect(config.port).toBe(8080);
    expect(config.webPort).toBe(3000);
    expect(config.dataDir).toBe('./.flatrender');
    expect(config.roles).toEqual(['all']);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.amqpUrl).toBeUndefined();
    expect(config.s3ForcePathStyle).toBe(true);
  });

  it('reads distributed settings', () => {
    const config = loadPlatformConfig({
      DATABASE_URL: 'postgres://flatrender@127.0.0.1:5432/flatrender',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      PORT: '9000',
      FLATRENDER_ROLES: 'identity, render',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'flatrender',
      S3_FORCE_PATH_STYLE: 'false',
    });
    expect(config.port).toBe(9000);
    expect(config.roles).toEqual(['identity', 'render']);
    expect(config.s3ForcePathStyle).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT', 'must be a port number'],
    [{ PORT: '70000' }, 'PORT', 'between 0 and 65535'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', 'postgres://'],
    [{ AMQP_URL: 'not a url' }, 'AMQP_URL', 'amqp://'],
    [{ FLATRENDER_ROLES: 'gateway,printer' }, 'FLATRENDER_ROLES', 'unknown value "printer"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'must be one of'],
    [{ FLATRENDER_SECRET: 'short' }, 'FLATRENDER_SECRET', 'at least 32'],
    [{ S3_ENDPOINT: 'http://127.0.0.1:9000' }, 'S3_BUCKET', 'required when S3_ENDPOINT'],
  ])('refuses %o with one line naming %s', (env, variable, problem) => {
    let caught: unknown;
    try {
      loadPlatformConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain(variable);
    expect(message).toContain(problem);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret value in the error', () => {
    expect(() => loadPlatformConfig({ FLATRENDER_SECRET: 'hunter2' })).toThrow(/FLATRENDER_SECRET/);
    try {
      loadPlatformConfig({ FLATRENDER_SECRET: 'hunter2' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});

describe('public URL', () => {
  it('follows PORT unless PUBLIC_URL is set, without a trailing slash', () => {
    expect(loadPlatformConfig({ PORT: '9001' }).publicUrl).toBe('http://localhost:9001');
    expect(loadPlatformConfig({ PUBLIC_URL: 'https://render.example.ir/' }).publicUrl).toBe(
      'https://render.example.ir',
    );
  });
});
