import type { MessageData } from '@flatrender/contracts';
import { loadImage } from '@napi-rs/canvas';
import { renderMockup } from '../mockup/mockup.render';
import type { CompletedOutput } from '../orchestrator.client';
import { encodeMp3, speak } from '../voice/speech.synth';
import { MIME, uploadBuffer, type WorkControl, type WorkDeps } from './work.types';
import { fetchFailure, WorkFailure } from './work-failure';

type MockupItem = MessageData<'render.queue.mockup'>;
type VoiceoverItem = MessageData<'render.queue.voiceover'>;

/** The user's image placed in a phone, laptop or poster mockup with a perspective transform. */
export async function renderMockupItem(
  deps: WorkDeps,
  item: MockupItem,
  ctl: WorkControl,
): Promise<CompletedOutput> {
  const ref = { kind: 'asset' as const, contentHash: item.image.content_hash, blobKey: item.image.blob_key };
  const hold = await deps.cache.acquire([ref]).catch((error: unknown) => {
    throw fetchFailure('asset', error);
  });
  try {
    const image = await loadImage(hold.pathOf(ref.contentHash)).catch((error: unknown) => {
      throw new WorkFailure(
        'asset_unreadable',
        `the image cannot be decoded: ${(error as Error).message}`,
        false,
      );
    });
    ctl.signal.throwIfAborted();
    const out = await renderMockup(item.mockup, image, item.width, item.format);
    ctl.progress(1);
    const stored = await uploadBuffer(deps.blobs, item.output_key, out.data, MIME[item.format]);
    return {
      output_key: item.output_key,
      ...stored,
      probe: {
        frames: 1,
        duration_seconds: 0,
        video_codec: item.format === 'png' ? 'png' : 'mjpeg',
        width: out.width,
        height: out.height,
      },
    };
  } finally {
    hold.release();
  }
}

/** Speech from text (eSpeak NG, offline), as WAV or MP3: a voice-over track for templates. */
export async function renderVoiceoverItem(
  deps: WorkDeps,
  item: VoiceoverItem,
  ctl: WorkControl,
): Promise<CompletedOutput> {
  const speech = await speak(
    { text: item.text, language: item.language, voice: item.voice, speed: item.speed },
    ctl.signal,
  );
  if (speech.samples.length === 0)
    throw new WorkFailure('engine_error', 'the speech engine produced no audio', false);
  const data = item.format === 'mp3' ? encodeMp3(speech) : speech.wav;
  ctl.progress(1);
  const stored = await uploadBuffer(deps.blobs, item.output_key, data, MIME[item.format]);
  return {
    output_key: item.output_key,
    ...stored,
    probe: {
      frames: speech.samples.length,
      duration_seconds: speech.durationSeconds,
      video_codec: null,
      width: null,
      height: null,
    },
  };
}
