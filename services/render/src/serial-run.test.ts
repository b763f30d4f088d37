import { describe, expect, it } from 'vitest';
import { SerialRun } from './serial-run';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SerialRun', () => {
  it('never runs two rounds at once and folds kicks made during a round into one more round', async () => {
    let active = 0;
    let most = 0;
    let rounds = 0;
    let release: () => void = () => {};
    const run = new SerialRun(
      async () => {
        rounds++;
        active++;
        most = Math.max(most, active);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        active--;
      },
      () => {},
    );
    run.kick();
    run.kick();
    run.kick();
    await tick();
    expect(rounds).toBe(1);
    release();
    await tick();
    expect(rounds).toBe(2);
    release();
    await run.idle();
    expect({ rounds, most }).toEqual({ rounds: 2, most: 1 });
  });

  it('runs again at once while a round says it stopped at its batch limit', async () => {
    let left = 45;
    const run = new SerialRun(
      async () => {
        left -= Math.min(20, left);
        return left > 0;
      },
      () => {},
    );
    run.kick();
    await run.idle();
    expect(left).toBe(0);
  });

  it('reports a failed round and runs the next kick', async () => {
    const errors: unknown[] = [];
    let fail = true;
    let done = 0;
    const run = new SerialRun(
      async () => {
        if (fail) throw new Error('database away');
        done++;
      },
      (error) => errors.push(error),
    );
    run.kick();
    await run.idle();
    fail = false;
    run.kick();
    await run.idle();
    expect({ errors: errors.map((e) => (e as Error).message), done }).toEqual({
      errors: ['database away'],
      done: 1,
    });
  });
});
