import type { EncodePlan } from './encode-settings';
import type { VideoEncodeSpec } from './encoder';

/** What the node-av driver asks its worker thread to do (passed as `workerData`). */
export type NodeAvJob =
  | { kind: 'encode'; spec: VideoEncodeSpec; plan: EncodePlan; part: string }
  | {
      kind: 'join';
      concatList: string;
      part: string;
      muxer: EncodePlan['muxer'];
      muxerOptions: Record<string, string>;
      audio: { graph: string; codec: 'aac' | 'libopus'; bitrate: string } | null;
    };

export type WorkerRequest = { type: 'frame'; buffer: ArrayBuffer } | { type: 'finish' } | { type: 'abort' };

export type WorkerReply =
  | { type: 'ready' }
  /** The frame is in FFmpeg's hands; its buffer comes back for reuse. */
  | { type: 'consumed'; buffer: ArrayBuffer }
  | { type: 'finished'; frames: number }
  | { type: 'failed'; message: string };
