import type { Logger } from '@flatrender/platform';

export interface ScheduledTask {
  name: string;
  run(): Promise<number | boolean>;
}

/**
 * Runs the identity service's periodic work (plan expiry, ends of bans and suspensions, API key
 * expiry, payment reconciliation, signing-key rotation, cleanup) every interval. Each task takes its
 * rows with SKIP LOCKED, so several replicas share the work; a failing task is logged and retried at
 * the next tick without stopping the others.
 */
export class IdentityScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly tasks: readonly ScheduledTask[],
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, Math.min(this.intervalMs, 1_000));
  }

  async runOnce(): Promise<void> {
    for (const task of this.tasks) {
      try {
        const done = await task.run();
        if (done) this.logger.info({ task: task.name, done }, 'scheduled work done');
      } catch (error) {
        this.logger.error({ task: task.name, err: error }, 'scheduled work failed');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
