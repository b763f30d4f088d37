import { loadPlatformConfig } from '@flatrender/platform';
import { describe, expect, it } from 'vitest';
import { listenPort } from './platform-process';

describe('listenPort', () => {
  const config = (env: Record<string, string>) => loadPlatformConfig(env);

  it('gives a process serving one service the port the others call it on by default', () => {
    expect(listenPort(['identity'], config({}), {})).toBe(8081);
    expect(listenPort(['render'], config({}), {})).toBe(8085);
    expect(listenPort(['notification'], config({}), {})).toBe(8086);
  });

  it('keeps PORT for the gateway, the whole platform, and whenever PORT is set', () => {
    expect(listenPort(['gateway'], config({}), {})).toBe(8080);
    expect(listenPort(['identity', 'gateway', 'render'], config({}), {})).toBe(8080);
    expect(listenPort(['identity'], config({ PORT: '9001' }), { PORT: '9001' })).toBe(9001);
  });
});
