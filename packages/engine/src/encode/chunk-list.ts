import { resolve } from 'node:path';
import { probeMedia } from './probe-media';

export interface ProbedChunk {
  file: string;
  frames: number;
}

export interface ChunkSet {
  chunks: ProbedChunk[];
  fps: number;
  totalFrames: number;
  durationSeconds: number;
}

/**
 * Reads every chunk (frames really present, codec, size, rate) and refuses a set that cannot be
 * joined by stream copy: mixed codecs, sizes or frame rates would produce a broken file.
 */
export async function inspectChunks(files: string[]): Promise<ChunkSet> {
  if (files.length === 0) throw new Error('joinChunks needs at least one chunk');
  const infos = await Promise.all(files.map((f) => probeMedia(f)));
  const first = infos[0]?.video;
  if (!first) throw new Error(`chunk has no video stream: ${files[0]}`);
  const chunks = infos.map((info, i) => {
    const v = info.video;
    if (!v) throw new Error(`chunk has no video stream: ${files[i]}`);
    if (v.codec !== first.codec || v.width !== first.width || v.height !== first.height) {
      throw new Error(
        `chunk ${files[i]} is ${v.codec} ${v.width}x${v.height}, expected ${first.codec} ${first.width}x${first.height}`,
      );
    }
    if (Math.abs(v.fps - first.fps) > 1e-6)
      throw new Error(`chunk ${files[i]} is ${v.fps} fps, expected ${first.fps}`);
    if (v.frameCount === 0) throw new Error(`chunk has no frames: ${files[i]}`);
    return { file: resolve(info.file), frames: v.frameCount };
  });
  const totalFrames = chunks.reduce((n, c) => n + c.frames, 0);
  return { chunks, fps: first.fps, totalFrames, durationSeconds: totalFrames / first.fps };
}

/**
 * A concat-demuxer script with an explicit duration per chunk. Without it the demuxer offsets each
 * chunk by its container duration rounded to milliseconds and the error accumulates across chunks;
 * here every offset is computed from whole frame counts, so it never drifts.
 */
export function concatScript(set: ChunkSet): string {
  const lines = ['ffconcat version 1.0'];
  let framesBefore = 0;
  for (const chunk of set.chunks) {
    const startUs = Math.round((framesBefore / set.fps) * 1e6);
    framesBefore += chunk.frames;
    const endUs = Math.round((framesBefore / set.fps) * 1e6);
    lines.push(
      `file '${chunk.file.replace(/'/g, "'\\''")}'`,
      `duration ${((endUs - startUs) / 1e6).toFixed(6)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
