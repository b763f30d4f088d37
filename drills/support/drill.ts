import type { DrillServers } from './drill-servers';

export interface DrillContext {
  servers: DrillServers;
  log(line: string): void;
}

export interface DrillResult {
  /** Every expectation held. */
  ok: boolean;
  /** The figures of the table row. */
  figures: string;
  /** What failed, or details worth keeping. */
  notes: string[];
}

/** One fault drill: it breaks something real, watches the platform recover, and reports figures. */
export interface Drill {
  name: string;
  /** The fault and the expectation, as the table shows it. */
  title: string;
  /** The run is abandoned (and reported failed) after this long. */
  budgetSeconds: number;
  run(context: DrillContext): Promise<DrillResult>;
}

/** Collects failed expectations; `result` turns them into the drill's outcome. */
export class Expectations {
  readonly failures: string[] = [];

  expect(condition: boolean, failure: string): void {
    if (!condition) this.failures.push(failure);
  }

  result(figures: string, notes: string[] = []): DrillResult {
    return { ok: this.failures.length === 0, figures, notes: [...this.failures, ...notes] };
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(intervalMs);
  }
  return false;
}

/** Percentile of sorted-or-not numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
