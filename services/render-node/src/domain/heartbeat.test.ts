import { CATALOG } from '@flatrender/contracts';
import { describe, expect, it } from 'vitest';
import { heartbeatData } from './heartbeat';

const base = {
  nodeId: '0b7e7f9c-4a8e-4b8e-9a51-4b1f7a0c2d11',
  intervalSeconds: 5,
  slots: 2,
  slotsBusy: 1,
  draining: false,
  machine: { loadAverage: 3, cpuCount: 2, memoryFreeBytes: 8e9, diskFreeBytes: 5e10 },
  cache: { entries: 3, size_bytes: 4096, capacity_bytes: 1e9 },
  now: new Date('2026-03-21T10:00:00.000Z'),
};

describe('heartbeatData', () => {
  it('reports load per CPU, free memory and disk, cache, and every held lease with its frames', () => {
    const data = heartbeatData({
      ...base,
      leases: [
        {
          jobId: '11111111-1111-4111-8111-111111111111',
          itemId: '22222222-2222-4222-8222-222222222222',
          fencingToken: 7,
          framesDone: 45,
          frameCount: 90,
        },
      ],
    });
    expect(data).toEqual({
      node_id: base.nodeId,
      interval_seconds: 5,
      slots: 2,
      slots_busy: 1,
      load: 1.5,
      memory_free_bytes: 8e9,
      disk_free_bytes: 5e10,
      cache: base.cache,
      draining: false,
      leases: [
        {
          job_id: '11111111-1111-4111-8111-111111111111',
          chunk_id: '22222222-2222-4222-8222-222222222222',
          fencing_token: 7,
          frames_done: 45,
          frame_count: 90,
        },
      ],
      sent_at: '2026-03-21T10:00:00.000Z',
    });
    expect(CATALOG['node.heartbeat.v1'].data.safeParse(data).success).toBe(true);
  });

  it('never reports more frames than the item has, nor more busy slots than slots', () => {
    const data = heartbeatData({
      ...base,
      slotsBusy: 5,
      draining: true,
      leases: [
        {
          jobId: '11111111-1111-4111-8111-111111111111',
          itemId: '11111111-1111-4111-8111-111111111111',
          fencingToken: 1,
          framesDone: 130.7,
          frameCount: 120,
        },
      ],
    });
    expect(data.slots_busy).toBe(2);
    expect(data.draining).toBe(true);
    expect(data.leases[0]?.frames_done).toBe(120);
    expect(CATALOG['node.heartbeat.v1'].data.safeParse(data).success).toBe(true);
  });
});
