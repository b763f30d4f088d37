import { Mp3Encoder } from '@breezystack/lamejs';
import { spawnWorker } from '@flatrender/engine/node';
import type { EspeakJob, EspeakReply } from './espeak.worker';

const WORKER_URL = new URL(
  `./espeak.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** eSpeak NG voice variants a work item may name (`voice`); `default` is the language's own voice. */
export const VOICE_VARIANTS = [
  'default',
  ...['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'],
  ...['f1', 'f2', 'f3', 'f4', 'f5'],
  ...['klatt', 'klatt2', 'klatt3', 'klatt4', 'klatt5', 'klatt6'],
  ...['whisper', 'whisperf', 'croak'],
] as const;

/** eSpeak NG's rate at speed 1, in words per minute. */
const NORMAL_WPM = 175;

export interface SpeechRequest {
  text: string;
  language: 'fa' | 'en';
  voice: string;
  /** Relative to normal (0.5 to 2). */
  speed: number;
}

export interface Speech {
  /** 16-bit PCM WAV as eSpeak NG wrote it. */
  wav: Buffer;
  sampleRate: number;
  channels: number;
  /** The samples of the first channel. */
  samples: Int16Array;
  durationSeconds: number;
}

export class UnknownVoiceError extends Error {
  readonly code = 'unknown_voice';
}

/**
 * Text to speech, offline, with eSpeak NG compiled to WebAssembly (the `espeak-ng` npm package,
 * GPL-3.0-or-later, run as a separate module in its own thread). Persian and English.
 */
export async function speak(request: SpeechRequest, signal?: AbortSignal): Promise<Speech> {
  if (!(VOICE_VARIANTS as readonly string[]).includes(request.voice))
    throw new UnknownVoiceError(
      `voice "${request.voice}" is not an eSpeak NG variant (known: ${VOICE_VARIANTS.join(', ')})`,
    );
  const voice = request.voice === 'default' ? request.language : `${request.language}+${request.voice}`;
  const wpm = Math.round(NORMAL_WPM * Math.min(2, Math.max(0.5, request.speed)));
  const job: EspeakJob = { args: ['-v', voice, '-s', String(wpm)], text: request.text };
  const wav = await runWorker(job, signal);
  return parseWav(wav);
}

function runWorker(job: EspeakJob, signal?: AbortSignal): Promise<Buffer> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = spawnWorker(WORKER_URL, { workerData: job });
  return new Promise<Buffer>((resolve, reject) => {
    const onAbort = () => {
      void worker.terminate();
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    worker.once('message', (reply: EspeakReply) => {
      settle();
      void worker.terminate();
      if (reply.type === 'done')
        resolve(Buffer.from(reply.wav.buffer, reply.wav.byteOffset, reply.wav.byteLength));
      else reject(new Error(reply.message));
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
  });
}

/** Reads a 16-bit PCM WAV (chunk by chunk, so extra chunks before `data` are skipped). */
export function parseWav(wav: Buffer): Speech {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('speech output is not a WAV file');
  let offset = 12;
  let format: { channels: number; sampleRate: number; bits: number } | undefined;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        channels: wav.readUInt16LE(body + 2),
        sampleRate: wav.readUInt32LE(body + 4),
        bits: wav.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('speech output has no format chunk before its data');
      if (format.bits !== 16) throw new Error('speech output is not 16-bit PCM');
      const end = Math.min(wav.length, body + size);
      const frames = Math.floor((end - body) / (2 * format.channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = wav.readInt16LE(body + i * 2 * format.channels);
      return {
        wav,
        sampleRate: format.sampleRate,
        channels: format.channels,
        samples,
        durationSeconds: frames / format.sampleRate,
      };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('speech output has no audio data');
}

/** MP3 (LAME, via the pure-JavaScript `@breezystack/lamejs`, LGPL-3.0) of mono speech. */
export function encodeMp3(speech: Speech, kbps = 96): Buffer {
  const encoder = new Mp3Encoder(1, speech.sampleRate, kbps);
  const parts: Buffer[] = [];
  // lamejs hands back Int8Array views; Buffer.concat takes bytes.
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const block = 1152;
  for (let i = 0; i < speech.samples.length; i += block) {
    const out = encoder.encodeBuffer(speech.samples.subarray(i, i + block));
    if (out.length) parts.push(bytes(out));
  }
  const tail = encoder.flush();
  if (tail.length) parts.push(bytes(tail));
  return Buffer.concat(parts);
}
