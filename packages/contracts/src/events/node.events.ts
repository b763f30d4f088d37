// Render nodes are platform-wide: their envelopes carry PLATFORM_TENANT_ID and SYSTEM_USER_ID.
import { z } from 'zod';
import { defineMessage } from '../catalog';
import { AUDIO_FORMATS, byteCountSchema, sha256Schema, timestampSchema, uuidSchema } from '../common.schemas';
import { RENDER_QUEUES } from '../topology';
import { RENDER_FORMATS } from '../vocabulary';

export const NODE_OFFLINE_REASONS = ['shutdown', 'drain', 'restart', 'maintenance'] as const;
export const CACHE_ENTRY_KINDS = ['template', 'font', 'asset'] as const;

const nodeId = uuidSchema.describe('Node id, generated at first start and kept across restarts');
const hostname = z.string().min(1).max(255).describe('Host name of the machine');

const leaseRefSchema = z.strictObject({
  job_id: uuidSchema.describe('Render job'),
  chunk_id: uuidSchema.describe('Work item'),
  fencing_token: z.int().min(1).describe('Token of the lease the node holds'),
});

const cacheStatsSchema = z.strictObject({
  entries: z.int().min(0).describe('Objects in the cache'),
  size_bytes: byteCountSchema.describe('Bytes used'),
  capacity_bytes: byteCountSchema.describe('Bytes the cache may use'),
});

export const NODE_EVENTS = {
  'node.online.v1': defineMessage({
    key: 'node.online.v1',
    kind: 'event',
    producers: ['render-node'],
    consumers: ['render-orchestrator'],
    description:
      'A render node started and is ready for work; render adds it to the pool with its capabilities.',
    data: z.strictObject({
      node_id: nodeId,
      hostname,
      version: z.string().min(1).max(50).describe('FlatRender version the node runs'),
      engine_generations: z.array(z.int().min(1)).min(1).describe('Engine generations it can render'),
      queues: z.array(z.enum(RENDER_QUEUES)).min(1).describe('Render queues it consumes'),
      formats: z
        .array(z.enum([...RENDER_FORMATS, ...AUDIO_FORMATS]))
        .min(1)
        .describe('Output formats it can encode'),
      slots: z.int().min(1).describe('Work items it renders at once'),
      cpu_cores: z.int().min(1).describe('Logical CPUs'),
      memory_bytes: byteCountSchema.describe('Total memory'),
      cache: cacheStatsSchema.describe('State of its content-addressed cache at start'),
      started_at: timestampSchema.describe('When the process started'),
    }),
  }),
  'node.offline.v1': defineMessage({
    key: 'node.offline.v1',
    kind: 'event',
    producers: ['render-node'],
    consumers: ['render-orchestrator'],
    description:
      'A render node is leaving on purpose; render removes it and re-queues the leases it gave back at once instead of waiting for them to expire.',
    data: z.strictObject({
      node_id: nodeId,
      hostname,
      reason_code: z.enum(NODE_OFFLINE_REASONS).describe('Why it leaves'),
      released_leases: z.array(leaseRefSchema).describe('Leases it gave back unfinished'),
      stopped_at: timestampSchema.describe('When it stopped taking work'),
    }),
  }),
  'node.crashed.v1': defineMessage({
    key: 'node.crashed.v1',
    kind: 'event',
    producers: ['render-orchestrator'],
    consumers: [],
    description:
      "The reaper found a node silent past its heartbeat deadline, marked it crashed and re-queued its leased work items (for audit and operators' dashboards).",
    data: z.strictObject({
      node_id: nodeId,
      hostname,
      last_heartbeat_at: timestampSchema
        .nullable()
        .describe('Last heartbeat received; null if it never sent one'),
      requeued_leases: z.array(leaseRefSchema).describe('Leases taken away from it and re-queued'),
      detected_at: timestampSchema.describe('When the reaper declared it crashed'),
    }),
  }),
  'node.heartbeat.v1': defineMessage({
    key: 'node.heartbeat.v1',
    kind: 'event',
    producers: ['render-node'],
    consumers: ['render-orchestrator'],
    description:
      'Periodic sign of life of a node; render extends the leases it lists (when their fencing tokens still match), updates job progress and load.',
    data: z.strictObject({
      node_id: nodeId,
      interval_seconds: z.number().positive().describe('Seconds until the next heartbeat'),
      slots: z.int().min(1).describe('Work items it can render at once'),
      slots_busy: z.int().min(0).describe('Work items it is rendering'),
      load: z.number().min(0).describe('One-minute load average divided by CPU count'),
      memory_free_bytes: byteCountSchema.describe('Available memory'),
      disk_free_bytes: byteCountSchema.describe('Free disk space for work files and cache'),
      cache: cacheStatsSchema.describe('State of its content-addressed cache'),
      draining: z.boolean().describe('Finishing current work but taking no new work'),
      leases: z
        .array(
          leaseRefSchema.extend({
            frames_done: z.int().min(0).describe('Frames of the work item rendered so far'),
            frame_count: z.int().min(1).describe('Frames in the work item'),
          }),
        )
        .describe('Work items in progress'),
      sent_at: timestampSchema.describe(
        'When it was sent; render ignores heartbeats older than a lease period',
      ),
    }),
  }),
  'node.cache.updated.v1': defineMessage({
    key: 'node.cache.updated.v1',
    kind: 'event',
    producers: ['render-node'],
    consumers: ['render-orchestrator'],
    description:
      'The content of a node cache changed; render prefers nodes that already hold what a job needs and never sends a job needing a font to a node without it.',
    data: z.strictObject({
      node_id: nodeId,
      complete: z.boolean().describe('`added` lists the whole cache (sent at start), not a change'),
      added: z
        .array(
          z.strictObject({
            kind: z.enum(CACHE_ENTRY_KINDS).describe('What the object is'),
            content_hash: sha256Schema.describe('SHA-256 of the object'),
            size_bytes: byteCountSchema.describe('Size of the object'),
          }),
        )
        .describe('Objects now cached'),
      evicted: z
        .array(
          z.strictObject({
            kind: z.enum(CACHE_ENTRY_KINDS).describe('What the object was'),
            content_hash: sha256Schema.describe('SHA-256 of the object'),
          }),
        )
        .describe('Objects removed from the cache'),
      cache: cacheStatsSchema.describe('State of the cache after the change'),
      updated_at: timestampSchema.describe('When the change happened'),
    }),
  }),
} as const;
