import type { Logger } from '../log/logger';

type StopHook = { name: string; stop: () => Promise<void> };

/**
 * Ordered shutdown: hooks run in reverse order of registration (the last thing started stops first:
 * HTTP stops accepting, consumers stop taking work and finish in-flight work, relays flush, then
 * connections close). A hook that outlives the timeout is abandoned so the process can exit.
 */
export class Lifecycle {
  private readonly hooks: StopHook[] = [];
  private stopping: Promise<void> | undefined;
  private draining = false;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 15_000,
  ) {}

  onStop(name: string, stop: () => Promise<void>): void {
    this.hooks.push({ name, stop });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  stop(reason = 'requested'): Promise<void> {
    this.stopping ??= this.runStop(reason);
    return this.stopping;
  }

  /** SIGTERM / SIGINT stop gracefully once; a second signal exits at once. */
  handleSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      received += 1;
      if (received > 1) {
        this.logger.warn({ signal }, 'second signal: exiting without waiting');
        exit(1);
        return;
      }
      this.stop(signal).then(
        () => exit(0),
        () => exit(1),
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  private async runStop(reason: string): Promise<void> {
    this.draining = true;
    this.logger.info({ reason }, 'shutting down');
    const deadline = Date.now() + this.timeoutMs;
    let failed = false;
    for (const hook of [...this.hooks].reverse()) {
      const remaining = Math.max(0, deadline - Date.now());
      const result = await settleWithin(hook.stop(), remaining);
      if (result === 'timeout') {
        failed = true;
        this.logger.error({ hook: hook.name }, 'stop hook did not finish before the shutdown timeout');
      } else if (result instanceof Error) {
        failed = true;
        this.logger.error({ hook: hook.name, err: result }, 'stop hook failed');
      }
    }
    this.logger.info({ clean: !failed }, 'stopped');
    if (failed) throw new Error('shutdown was not clean');
  }
}

async function settleWithin(promise: Promise<void>, ms: number): Promise<'ok' | 'timeout' | Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise.then(() => 'ok' as const), timeout]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}
