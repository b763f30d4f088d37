import { describeWithServices } from '@flatrender/platform/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type IdentityKit, signUp, startIdentityKit } from './identity-test-kit';

await describeWithServices(['postgres', 'rabbitmq'], 'identity smoke', () => {
  let kit: IdentityKit;
  beforeAll(async () => {
    kit = await startIdentityKit();
  });
  afterAll(() => kit?.stop());

  it('signs up and reads /v1/me', async () => {
    const s = await signUp(kit);
    const me = await kit.harness.app.inject({ url: '/v1/me', headers: s.auth });
    expect(me.statusCode, me.body).toBe(200);
  });
});
