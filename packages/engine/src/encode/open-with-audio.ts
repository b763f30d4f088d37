import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mixTracks, resolveAudioMix } from '../audio/audio-mix';
import type { EncoderDriver, VideoEncoder, VideoEncodeSpec } from './encoder';
import { partPath, removeQuietly } from './output-files';

/**
 * Audio reaches a single-pass render by the same road as a chunked one: the video is encoded alone,
 * then `joinChunks([video], { audio })` muxes it (stream copy) with the mixed audio. One audio path
 * per driver means a chunked render and a single pass cannot differ in sound or sync.
 * Every driver's open() goes through here, which also creates the output's directory.
 */
export async function openWithAudio(
  driver: EncoderDriver,
  spec: VideoEncodeSpec,
  openVideo: (spec: VideoEncodeSpec) => Promise<VideoEncoder>,
): Promise<VideoEncoder> {
  await mkdir(dirname(spec.out), { recursive: true });
  const tracks = mixTracks(spec.audio);
  if (tracks.length === 0 || spec.format === 'gif') return openVideo({ ...spec, audio: undefined });
  const format = spec.format;
  // Fail before any frame is drawn when a track is missing or unreadable.
  await resolveAudioMix(spec.audio);
  const videoOnly = partPath(spec.out, 'video');
  const inner = await openVideo({ ...spec, out: videoOnly, audio: undefined });
  return {
    driver: inner.driver,
    write: (rgba, release) => inner.write(rgba, release),
    async finish() {
      try {
        const result = await inner.finish();
        await driver.joinChunks([videoOnly], { format, audio: spec.audio, quality: spec.quality }, spec.out);
        return { ...result, out: spec.out };
      } finally {
        await removeQuietly(videoOnly);
      }
    },
    async abort() {
      await inner.abort();
      await removeQuietly(videoOnly);
    },
  };
}
