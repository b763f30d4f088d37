import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedPlatform, spawnPlatform } from './support/platform-process';

describe('flatrender start (one process, embedded adapters)', () => {
  let platform: SpawnedPlatform;
  beforeAll(async () => {
    platform = await spawnPlatform(['start']);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const health = await fetch(`${platform.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${platform.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${platform.url}/metrics`);
    expect(await metrics.text()).toContain('flatrender_process_cpu_user_seconds_total');
  });

  it('answers unknown routes with the error body', async () => {
    const res = await fetch(`${platform.url}/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const code = await platform.stop();
    expect(code).toBe(0);
    expect(platform.output()).toContain('"clean":true');
  });
});

describe('flatrender serve (distributed)', () => {
  it('refuses to start without AMQP_URL, naming the variable in one line', async () => {
    await expect(spawnPlatform(['serve', 'gateway'], { AMQP_URL: '' }, /running/, 30_000)).rejects.toThrow(
      /flatrender: configuration: AMQP_URL is required/,
    );
  });
});
