import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU times in clock ticks of 1/100 s (USER_HZ). */
const TICKS_PER_SECOND = 100;

/**
 * Samples this process and every process it started (the ffmpeg encoder, Chromium): worker
 * threads are inside this process, child processes are not, and a render's true footprint is the
 * sum. Records the peak resident memory and the CPU time used (last seen for processes that have
 * ended; sampled every 100 ms). CPU time is what the benchmark can trust on a busy machine, where
 * wall-clock speed depends on everything else that runs.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly childTicks = new Map<number, number>();
  private readonly cpuStart = process.cpuUsage();
  private children: number[] = [];
  private ticks = 0;
  peakTotalMb = 0;

  start(intervalMs = 100): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }

  stop(): { peakProcessMb: number; peakTotalMb: number; cpuSeconds: number } {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const own = process.cpuUsage(this.cpuStart);
    const children = [...this.childTicks.values()].reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
    return {
      peakProcessMb: process.resourceUsage().maxRSS / 1024,
      peakTotalMb: this.peakTotalMb,
      cpuSeconds: (own.user + own.system) / 1e6 + children,
    };
  }

  private sample(): void {
    // Finding descendants reads every process's stat file: done every 5th sample only, so the
    // sampler's own CPU time does not weigh on the figures it helps produce.
    if (this.ticks++ % 5 === 0) this.children = descendants(process.pid);
    const children = this.children;
    const total = process.memoryUsage().rss / 1048576 + children.reduce((sum, pid) => sum + rssMb(pid), 0);
    this.peakTotalMb = Math.max(this.peakTotalMb, total);
    for (const pid of children) {
      const ticks = cpuTicks(pid);
      if (ticks !== null) this.childTicks.set(pid, ticks);
    }
  }
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Fields after the parenthesised command name of /proc/<pid>/stat (state is field 3). */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function cpuTicks(pid: number): number | null {
  const f = statFields(pid);
  // utime and stime are fields 14 and 15, i.e. indices 11 and 12 after the command name.
  return f ? Number(f[11]) + Number(f[12]) : null;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(entry);
    if (!f) continue;
    const ppid = Number(f[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}
