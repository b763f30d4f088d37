import { readdirSync, readFileSync } from 'node:fs';

/**
 * Samples the resident memory of this process and of every process it started (the ffmpeg
 * encoder, Chromium): worker threads are inside this process, child processes are not, and the
 * render's true footprint is the sum.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  peakTotalMb = 0;

  start(intervalMs = 50): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }

  stop(): { peakProcessMb: number; peakTotalMb: number } {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return { peakProcessMb: process.resourceUsage().maxRSS / 1024, peakTotalMb: this.peakTotalMb };
  }

  private sample(): void {
    const total = [process.pid, ...descendants(process.pid)].reduce((sum, pid) => sum + rssMb(pid), 0);
    this.peakTotalMb = Math.max(this.peakTotalMb, total);
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

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid (after the parenthesised command name).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone while we looked.
    }
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
