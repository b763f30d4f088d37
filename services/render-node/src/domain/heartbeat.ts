import type { MessageData } from '@flatrender/contracts';
import type { CacheStats } from '../cache/content-cache';

/** A work item the node holds a lease on (claimed), as the heartbeat reports it. */
export interface HeldLease {
  jobId: string;
  itemId: string;
  fencingToken: number;
  framesDone: number;
  frameCount: number;
}

export interface MachineLoad {
  /** One-minute load average of the machine. */
  loadAverage: number;
  cpuCount: number;
  memoryFreeBytes: number;
  diskFreeBytes: number;
}

export interface HeartbeatInput {
  nodeId: string;
  intervalSeconds: number;
  slots: number;
  /** Work items occupying a render slot (claimed or about to be). */
  slotsBusy: number;
  draining: boolean;
  leases: readonly HeldLease[];
  machine: MachineLoad;
  cache: CacheStats;
  now: Date;
}

/**
 * The node.heartbeat.v1 payload. The orchestrator extends exactly the leases listed (when their tokens
 * still match) and derives progress from `frames_done`, so a lease must appear here for as long as
 * the node works on it, and frames never run past the item's frame count.
 */
export function heartbeatData(input: HeartbeatInput): MessageData<'node.heartbeat.v1'> {
  const cpus = Math.max(1, input.machine.cpuCount);
  return {
    node_id: input.nodeId,
    interval_seconds: input.intervalSeconds,
    slots: input.slots,
    slots_busy: Math.min(input.slotsBusy, input.slots),
    load: Math.max(0, input.machine.loadAverage / cpus),
    memory_free_bytes: Math.max(0, Math.floor(input.machine.memoryFreeBytes)),
    disk_free_bytes: Math.max(0, Math.floor(input.machine.diskFreeBytes)),
    cache: input.cache,
    draining: input.draining,
    leases: input.leases.map((l) => ({
      job_id: l.jobId,
      chunk_id: l.itemId,
      fencing_token: l.fencingToken,
      frames_done: Math.min(Math.max(0, Math.floor(l.framesDone)), Math.max(1, l.frameCount)),
      frame_count: Math.max(1, l.frameCount),
    })),
    sent_at: input.now.toISOString(),
  };
}
