import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { Lifecycle } from './lifecycle';

const logger = createLogger({ level: 'silent' });

describe('Lifecycle', () => {
  it('stops hooks in reverse order, once, and reports draining', async () => {
    const order: string[] = [];
    const lifecycle = new Lifecycle(logger, 1000);
    lifecycle.onStop('db', async () => void order.push('db'));
    lifecycle.onStop('bus', async () => void order.push('bus'));
    lifecycle.onStop('http', async () => void order.push('http'));
    expect(lifecycle.isDraining).toBe(false);
    const first = lifecycle.stop();
    const second = lifecycle.stop();
    expect(lifecycle.isDraining).toBe(true);
    await Promise.all([first, second]);
    expect(order).toEqual(['http', 'bus', 'db']);
  });

  it('abandons a hook that outlives the timeout but still runs the others', async () => {
    const order: string[] = [];
    const lifecycle = new Lifecycle(logger, 100);
    lifecycle.onStop('db', async () => void order.push('db'));
    lifecycle.onStop('stuck', () => new Promise(() => {}));
    await expect(lifecycle.stop()).rejects.toThrow('not clean');
    expect(order).toEqual(['db']);
  });
});
