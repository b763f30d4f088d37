import { describe, expect, it } from 'vitest';
import { SlotPool } from './slot-pool';

describe('SlotPool', () => {
  it('gives free slots at once and queues beyond them', async () => {
    const pool = new SlotPool(2);
    const a = await pool.acquire([1]);
    await pool.acquire([1]);
    let third = false;
    const c = pool.acquire([1]).then((r) => {
      third = true;
      return r;
    });
    await Promise.resolve();
    expect(pool.inUse).toBe(2);
    expect(third).toBe(false);
    a();
    a(); // a second release changes nothing
    await c;
    expect(third).toBe(true);
    expect(pool.inUse).toBe(2);
  });

  it('hands a freed slot to the lowest rank, then to the longest waiting', async () => {
    const pool = new SlotPool(1);
    const first = await pool.acquire([0]);
    const order: string[] = [];
    const wait = (name: string, rank: number[]) =>
      pool.acquire(rank).then((release) => {
        order.push(name);
        release();
      });
    const all = Promise.all([
      wait('preview', [4, 0]),
      wait('paid-low', [1, 0]),
      wait('paid-high', [1, -9]),
      wait('vip', [0, 0]),
      wait('paid-low-2', [1, 0]),
    ]);
    first();
    await all;
    expect(order).toEqual(['vip', 'paid-high', 'paid-low', 'paid-low-2', 'preview']);
  });

  it('refuses waiters when the node drains, leaving running slots alone', async () => {
    const pool = new SlotPool(1);
    await pool.acquire([0]);
    const waiting = pool.acquire([0]);
    pool.refuseWaiting(new Error('draining'));
    await expect(waiting).rejects.toThrow('draining');
    expect(pool.inUse).toBe(1);
    expect(pool.queued).toBe(0);
  });
});
