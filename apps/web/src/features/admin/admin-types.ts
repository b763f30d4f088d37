/* Answers of the platform administrators' routes (identity, content, render `/v1/admin/*`). */
import type { User } from '@/lib/api/types';

export interface AdminUser extends User {
  banned: boolean;
  banned_until: string | null;
  ban_reason: string | null;
  last_login_at: string | null;
}

export interface AdminTenant {
  id: string;
  name: string;
  slug: string;
  kind: 'personal' | 'organization';
  suspended: boolean;
  balance: number;
  suspended_until: string | null;
  suspension_reason: string | null;
  created_at: string;
}

export interface RenderNode {
  id: string;
  hostname: string;
  version: string | null;
  status: 'online' | 'offline' | 'crashed';
  quarantined: boolean;
  quarantine_reason: string | null;
  draining: boolean;
  queues: string[];
  slots: number;
  slots_busy: number;
  leases: number;
  load: number | null;
  memory_free_bytes: number | null;
  disk_free_bytes: number | null;
  cache: {
    entries: number;
    size_bytes: number;
    capacity_bytes: number;
    by_kind: Record<string, number>;
  } | null;
  failures: number;
  items_completed: number;
  frames_rendered: number;
  last_heartbeat_at: string | null;
  started_at: string | null;
}

export interface QueueDepth {
  queue: string;
  waiting: number;
  rendering: number;
  held: number;
  oldest_waiting_seconds: number | null;
  nodes: number;
}
