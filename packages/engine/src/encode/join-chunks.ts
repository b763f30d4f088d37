import type { AudioMix } from '../audio/audio-mix';
import type { Quality } from './encode-settings';
import { createEncoder, type EncoderDriverChoice } from './encoder';

export interface JoinChunksOptions {
  audio?: AudioMix | undefined;
  /** Defaults to the output file's extension (.mp4 or .webm). */
  format?: 'mp4' | 'webm';
  quality?: Quality;
  driver?: EncoderDriverChoice;
}

/**
 * Joins chunk files rendered apart (by any node) into one file: video by stream copy, never
 * re-encoded, with the mixed audio fitted to the joined length.
 */
export async function joinChunks(chunks: string[], options: JoinChunksOptions, out: string): Promise<void> {
  const format = options.format ?? formatOf(out);
  const driver = await createEncoder({ driver: options.driver ?? 'auto' });
  await driver.joinChunks(chunks, { format, audio: options.audio, quality: options.quality }, out);
}

function formatOf(out: string): 'mp4' | 'webm' {
  if (out.endsWith('.mp4')) return 'mp4';
  if (out.endsWith('.webm')) return 'webm';
  throw new Error(`cannot tell the format of ${out}: pass { format: 'mp4' | 'webm' }`);
}
