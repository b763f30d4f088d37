/**
 * The node's render slots. A waiter with a lower rank (compared element by element) gets the next
 * free slot first, then the one that waited longest: with one message waiting on each queue, a VIP
 * chunk starts before a preview chunk, and within a queue the higher message priority wins.
 */
export class SlotPool {
  private busy = 0;
  private seq = 0;
  private readonly waiting: {
    rank: readonly number[];
    seq: number;
    grant: (release: () => void) => void;
    refuse: (error: Error) => void;
  }[] = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.length;
  }

  acquire(rank: readonly number[]): Promise<() => void> {
    return new Promise((grant, refuse) => {
      this.waiting.push({ rank, seq: this.seq++, grant, refuse });
      this.pump();
    });
  }

  /** Refuses every waiter (the node is draining); slots already given keep running. */
  refuseWaiting(error: Error): void {
    for (const w of this.waiting.splice(0)) w.refuse(error);
  }

  private pump(): void {
    while (this.busy < this.size && this.waiting.length > 0) {
      this.waiting.sort((a, b) => compareRank(a.rank, b.rank) || a.seq - b.seq);
      const next = this.waiting.shift()!;
      this.busy++;
      let released = false;
      next.grant(() => {
        if (released) return;
        released = true;
        this.busy--;
        this.pump();
      });
    }
  }
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
