import type {
  AspectRatio,
  PlanLimits,
  PlanQueue,
  RenderErrorCode,
  RenderJobKind,
  RenderJobStatus,
  renderOutputSchema,
} from '@flatrender/contracts';
import type { Tx } from '@flatrender/platform';
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { z } from 'zod';
import type { FontRef, JobSpec, TemplateJobSpec } from './domain/job-spec';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb columns are written as JSON text (arrays are not PostgreSQL arrays) and read parsed. */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;
/** bigint columns arrive as strings from `pg`; written as numbers. */
type BigIntColumn = ColumnType<string | number, number | string | undefined, number | string>;

export interface AssetRef {
  content_hash: string;
  blob_key: string;
  mime: string;
}

/** A finished output as the catalog describes it (render.job.completed.v1 `output`). */
export type StoredOutput = z.infer<typeof renderOutputSchema>;

export interface ChunkProbe {
  frames: number;
  duration_seconds: number;
  video_codec: string | null;
  width: number | null;
  height: number | null;
}

export interface TenantPlanTable {
  tenant_id: string;
  plan_code: string | null;
  limits: NullableJson<PlanLimits>;
  effective_at: NullableTimestamp;
  suspended_at: NullableTimestamp;
  suspended_until: NullableTimestamp;
  updated_at: Generated<Date>;
}

export interface TemplateVersionTable {
  template_id: string;
  version: number;
  tenant_id: string | null;
  slug: string;
  engine: number;
  fps: number;
  aspects: Json<AspectRatio[]>;
  document_key: string;
  content_hash: string;
  fonts: Json<FontRef[]>;
  assets: Json<AssetRef[]>;
  published_at: Timestamp;
  withdrawn_at: NullableTimestamp;
}

export interface FontFaceTable {
  font_id: string;
  tenant_id: string | null;
  family: string;
  weight: number;
  style: string;
  content_hash: string;
  blob_key: string;
  installed_at: Timestamp;
}

export type JobStage = 'rendering' | 'encoding' | 'assembling' | 'verifying';

/** `render`: a tenant's job; `preview_clip`: the platform's gallery clip of a template (never billed). */
export type JobPurpose = 'render' | 'preview_clip';

export interface RenderJobTable {
  id: string;
  tenant_id: string;
  user_id: string;
  seq: Generated<BigIntColumn>;
  kind: RenderJobKind;
  source: 'studio' | 'api';
  status: RenderJobStatus;
  stage: JobStage | null;
  project_id: string | null;
  project_revision: number | null;
  template_id: string | null;
  template_version: number | null;
  aspect: AspectRatio | null;
  locale: 'fa' | 'en' | null;
  format: string;
  width: number | null;
  height: number | null;
  fps: number | null;
  quality: 'draft' | 'standard' | 'high';
  frame_count: number | null;
  duration_seconds: number | null;
  chunk_count: number;
  queue: string;
  priority: number;
  watermark: boolean;
  spec: Json<JobSpec>;
  cache_key: string | null;
  from_cache: Generated<boolean>;
  period: string;
  quote_seconds: number;
  quote_cost: BigIntColumn;
  billed_seconds: number | null;
  refunded_seconds: number | null;
  refunded_cost: BigIntColumn | null;
  webhook_url: string | null;
  metadata: NullableJson<Record<string, string | number | boolean | null>>;
  batch_id: string | null;
  batch_row: number | null;
  retry_of: string | null;
  held: Generated<boolean>;
  output: NullableJson<StoredOutput>;
  snapshot_id: string | null;
  frames_done: Generated<number>;
  progress: Generated<number>;
  progress_emitted_at: NullableTimestamp;
  max_attempt: Generated<number>;
  error_code: RenderErrorCode | null;
  error_message: string | null;
  retryable: boolean | null;
  failed_chunk_index: number | null;
  failed_node_id: string | null;
  cancel_reason: string | null;
  assembling_by: string | null;
  assembling_until: NullableTimestamp;
  created_at: Generated<Date>;
  queued_at: Generated<Date>;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  purpose: ColumnType<JobPurpose, JobPurpose | undefined, JobPurpose>;
  clip_reported_at: NullableTimestamp;
}

export type ItemKind = 'chunk' | 'still' | 'mockup' | 'voiceover';
export type ItemStatus = 'waiting' | 'pending' | 'leased' | 'done' | 'failed' | 'cancelled';

export interface RenderItemTable {
  id: string;
  tenant_id: string;
  job_id: string | null;
  snapshot_id: string | null;
  kind: ItemKind;
  queue: string;
  priority: number;
  idx: number;
  frame_start: number | null;
  frame_end: number | null;
  status: ItemStatus;
  attempt: number;
  fencing_token: BigIntColumn;
  node_id: string | null;
  lease_expires_at: NullableTimestamp;
  output_key: string;
  size_bytes: BigIntColumn | null;
  content_hash: string | null;
  probe: NullableJson<ChunkProbe>;
  frames_done: Generated<number>;
  failed_nodes: ColumnType<string[], string[] | undefined, string[]>;
  redispatch_after: NullableTimestamp;
  dispatched_at: NullableTimestamp;
  claimed_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  render_ms: number | null;
  last_error_code: string | null;
  last_error: string | null;
}

export type AttemptStatus =
  | 'dispatched'
  | 'claimed'
  | 'completed'
  | 'rejected'
  | 'failed'
  | 'expired'
  | 'cancelled'
  | 'superseded';

export interface RenderAttemptTable {
  item_id: string;
  fencing_token: BigIntColumn;
  tenant_id: string;
  attempt: number;
  node_id: string | null;
  output_key: string;
  status: AttemptStatus;
  error_code: string | null;
  error_message: string | null;
  dispatched_at: Generated<Date>;
  claimed_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  late_result_at: NullableTimestamp;
}

export interface CacheStats {
  entries: number;
  size_bytes: number;
  capacity_bytes: number;
}

export interface RenderNodeTable {
  id: string;
  hostname: Generated<string>;
  version: string | null;
  queues: Json<string[]>;
  formats: Json<string[]>;
  engine_generations: Json<number[]>;
  slots: Generated<number>;
  cpu_cores: number | null;
  memory_bytes: BigIntColumn | null;
  status: 'online' | 'offline' | 'crashed';
  draining: Generated<boolean>;
  load: number | null;
  memory_free_bytes: BigIntColumn | null;
  disk_free_bytes: BigIntColumn | null;
  slots_busy: Generated<number>;
  cache: NullableJson<CacheStats>;
  heartbeat_interval_seconds: number | null;
  started_at: NullableTimestamp;
  last_heartbeat_at: NullableTimestamp;
  last_seen_at: Generated<Date>;
  failures: Generated<number>;
  last_failure_at: NullableTimestamp;
  quarantined_at: NullableTimestamp;
  quarantine_reason: string | null;
  items_completed: Generated<BigIntColumn>;
  frames_rendered: Generated<BigIntColumn>;
  created_at: Generated<Date>;
}

export interface NodeCacheEntryTable {
  node_id: string;
  kind: string;
  content_hash: string;
  size_bytes: BigIntColumn;
}

export interface SnapshotTable {
  id: string;
  tenant_id: string;
  user_id: string;
  source: 'studio' | 'api' | 'job';
  job_id: string | null;
  project_id: string | null;
  project_revision: number | null;
  template_id: string;
  template_version: number;
  aspect: AspectRatio;
  time_seconds: number;
  format: 'png' | 'jpg';
  width: number;
  height: number;
  watermark: boolean;
  spec: NullableJson<TemplateJobSpec>;
  status: 'requested' | 'queued' | 'rendering' | 'ready' | 'failed';
  output: NullableJson<StoredOutput>;
  render_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  requested_at: Generated<Date>;
  ready_at: NullableTimestamp;
}

export interface UsageRecordTable {
  id: string;
  tenant_id: string;
  period: string;
  metric: string;
  quantity: number;
  source_kind: 'render_job' | 'snapshot';
  source_id: string;
  frames: number | null;
  width: number | null;
  height: number | null;
  size_bytes: BigIntColumn | null;
  recorded_at: Generated<Date>;
}

export interface RenderDb {
  tenant_plan: TenantPlanTable;
  template_version: TemplateVersionTable;
  font_face: FontFaceTable;
  render_job: RenderJobTable;
  render_item: RenderItemTable;
  render_attempt: RenderAttemptTable;
  render_node: RenderNodeTable;
  node_cache_entry: NodeCacheEntryTable;
  snapshot: SnapshotTable;
  usage_record: UsageRecordTable;
}

export type RenderTx = Tx<RenderDb>;
export type JobRow = Selectable<RenderJobTable>;
export type ItemRow = Selectable<RenderItemTable>;
export type AttemptRow = Selectable<RenderAttemptTable>;
export type NodeRow = Selectable<RenderNodeTable>;
export type SnapshotRow = Selectable<SnapshotTable>;
export type TemplateVersionRow = Selectable<TemplateVersionTable>;
export type FontFaceRow = Selectable<FontFaceTable>;
export type TenantPlanRow = Selectable<TenantPlanTable>;
export type PlanQueueName = PlanQueue;
