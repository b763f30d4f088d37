import type { OutputSize } from '../encode/encode-settings';
import type { FrameSourceInfo, FrameSourceRef } from './frame-source';

export interface DrawWorkerData {
  source: FrameSourceRef;
  /**
   * Resolution scaling, done by drawing at the output size (vector drawing stays sharp and small
   * frames are cheaper to draw and move). 1 = the source's own size.
   */
  scale: number;
}

/** `buffer`: a frame-sized buffer to draw into (recycled); absent, the worker allocates one. */
export type DrawRequest = { type: 'draw'; frame: number; buffer?: ArrayBuffer };

export type DrawReply =
  | { type: 'ready'; info: FrameSourceInfo; output: OutputSize }
  | { type: 'frame'; frame: number; rgba: ArrayBuffer }
  | { type: 'failed'; message: string };
