import { access } from 'node:fs/promises';
import { AUDIO_SAMPLE_RATE } from '../encode/encode-settings';
import { probeMedia } from '../encode/probe-media';

/** One sound source placed on the video's timeline. */
export interface AudioMixTrack {
  /** A local file in any format FFmpeg decodes (mp3, m4a, ogg, wav, ...). */
  file: string;
  /** Linear gain, 0..4 (1 = unchanged). */
  volume?: number;
  /** Seconds of fade-in from the track's start. */
  fadeIn?: number;
  /** Seconds of fade-out before the track ends (its own end, or the video's end if that comes first). */
  fadeOut?: number;
  /** Where the track starts on the video's timeline, in seconds. */
  start?: number;
  /** Repeat the source until the video ends (music beds). */
  loop?: boolean;
}

export interface MusicTrack extends AudioMixTrack {
  /** Music volume factor while the voice-over plays (e.g. 0.35); 1 or unset = no ducking. */
  duck?: number;
}

/** The template's music track and a voice-over, mixed and fitted to the video's duration. */
export interface AudioMix {
  music?: MusicTrack | undefined;
  voiceOver?: AudioMixTrack | undefined;
}

export class AudioTrackError extends Error {
  override readonly name = 'AudioTrackError';
}

export interface ResolvedTrack extends Required<Omit<AudioMixTrack, 'file'>> {
  file: string;
  /** Length of the source in seconds. */
  sourceDuration: number;
  /** Gain ramps while other tracks play: `volume * duck.factor` over [from, to] seconds. */
  duck: { factor: number; from: number; to: number } | null;
}

export function mixTracks(mix: AudioMix | undefined): AudioMixTrack[] {
  return [mix?.music, mix?.voiceOver].filter((t): t is AudioMixTrack => t !== undefined);
}

/** How long a ducking ramp takes: short enough to follow speech, long enough not to click. */
const DUCK_RAMP_SECONDS = 0.3;

/**
 * Checks every track and reads its length (needed to place a fade-out, and the music's ducking
 * window, for a track that ends before the video does).
 */
export async function resolveAudioMix(mix: AudioMix | undefined): Promise<ResolvedTrack[]> {
  const [music, voice] = await Promise.all([
    mix?.music ? resolveAudioTracks([mix.music]).then((t) => t[0]) : undefined,
    mix?.voiceOver ? resolveAudioTracks([mix.voiceOver]).then((t) => t[0]) : undefined,
  ]);
  const duck = mix?.music?.duck ?? 1;
  if (!(duck >= 0 && duck <= 1)) throw new AudioTrackError(`duck must be within 0..1, got ${duck}`);
  if (music && voice && duck < 1) {
    music.duck = { factor: duck, from: voice.start, to: voice.start + voice.sourceDuration };
  }
  return [music, voice].filter((t): t is ResolvedTrack => t !== undefined);
}

export async function resolveAudioTracks(tracks: AudioMixTrack[]): Promise<ResolvedTrack[]> {
  return Promise.all(
    tracks.map(async (track) => {
      await access(track.file).catch(() => {
        throw new AudioTrackError(`audio file not found: ${track.file}`);
      });
      const volume = track.volume ?? 1;
      const fadeIn = track.fadeIn ?? 0;
      const fadeOut = track.fadeOut ?? 0;
      const start = track.start ?? 0;
      if (!(volume >= 0 && volume <= 4))
        throw new AudioTrackError(`volume must be within 0..4, got ${volume}`);
      for (const [name, v] of [
        ['fadeIn', fadeIn],
        ['fadeOut', fadeOut],
        ['start', start],
      ] as const) {
        if (!(v >= 0 && Number.isFinite(v)))
          throw new AudioTrackError(`${name} must be >= 0 seconds, got ${v}`);
      }
      const info = await probeMedia(track.file).catch((error: Error) => {
        throw new AudioTrackError(`cannot read audio file ${track.file}: ${error.message}`);
      });
      if (!info.audio) throw new AudioTrackError(`no audio stream in ${track.file}`);
      const sourceDuration = info.audio.duration || info.duration;
      if (!(sourceDuration > 0)) throw new AudioTrackError(`audio file has no duration: ${track.file}`);
      return {
        file: track.file,
        volume,
        fadeIn,
        fadeOut,
        start,
        loop: track.loop ?? false,
        sourceDuration,
        duck: null,
      };
    }),
  );
}

/**
 * The one libavfilter graph that decodes, shapes and mixes the tracks. Both encoder drivers run exactly
 * this string (the ffmpeg CLI as `-filter_complex`, node-av as a FilterGraph), reading the files with
 * `amovie`, so their audio cannot differ. The output is sample-exact: `round(duration * 48000)`
 * samples, silence-padded or trimmed, so audio and video end together.
 */
export function buildAudioGraph(
  tracks: ResolvedTrack[],
  durationSeconds: number,
  codec: 'aac' | 'libopus',
): string {
  if (tracks.length === 0) throw new AudioTrackError('an audio graph needs at least one track');
  const total = Math.round(durationSeconds * AUDIO_SAMPLE_RATE);
  const chains = tracks.map((t, i) => {
    const startSample = Math.round(t.start * AUDIO_SAMPLE_RATE);
    const room = Math.max(0, durationSeconds - t.start);
    const audibleEnd = t.loop ? room : Math.min(room, t.sourceDuration);
    const steps = [
      `amovie=filename=${escapeGraphValue(t.file)}:loop=${t.loop ? 0 : 1}`,
      `aresample=${AUDIO_SAMPLE_RATE}`,
      'aformat=sample_fmts=fltp:channel_layouts=stereo',
      // Timestamps from the sample count: amovie restarts them at every loop, the ducking expression needs them continuous.
      'asetpts=N/SR/TB',
      `atrim=end_sample=${Math.max(1, Math.round(room * AUDIO_SAMPLE_RATE))}`,
    ];
    if (t.fadeIn > 0) steps.push(`afade=t=in:st=0:d=${sec(Math.min(t.fadeIn, audibleEnd))}`);
    if (t.fadeOut > 0 && audibleEnd > 0) {
      const d = Math.min(t.fadeOut, audibleEnd);
      steps.push(`afade=t=out:st=${sec(audibleEnd - d)}:d=${sec(d)}`);
    }
    steps.push(`volume=${t.volume}:precision=float`);
    if (t.duck) steps.push(duckStep(t.duck, t.start));
    if (startSample > 0) steps.push(`adelay=delays=${startSample}S:all=1`);
    steps.push(`apad=whole_len=${total}`, `atrim=end_sample=${total}`);
    return `${steps.join(',')}[t${i}]`;
  });
  const inputs = tracks.map((_, i) => `[t${i}]`).join('');
  // normalize=0: amix would otherwise divide every input by the number of inputs (music at half volume).
  const mix =
    tracks.length > 1
      ? `${inputs}amix=inputs=${tracks.length}:duration=longest:dropout_transition=0:normalize=0`
      : `${inputs}anull`;
  const sampleFormat = codec === 'aac' ? 'fltp' : 'flt';
  // Whole codec frames (AAC 1024, Opus 960 samples), the last one padded with silence: an encoder fed a
  // short final frame may drop it, which would end the audio early.
  const frameSize = codec === 'aac' ? 1024 : 960;
  return (
    `${chains.join(';')};${mix},aformat=sample_fmts=${sampleFormat}:sample_rates=${AUDIO_SAMPLE_RATE}` +
    `:channel_layouts=stereo,asetnsamples=n=${frameSize}:p=1`
  );
}

/**
 * A gain that ramps down to `factor` just before `from` and back up just after `to` (times on the video
 * timeline; the track's own clock starts at `trackStart`). Evaluated per 10 ms block so the ramp is smooth.
 */
function duckStep(duck: NonNullable<ResolvedTrack['duck']>, trackStart: number): string {
  const r = DUCK_RAMP_SECONDS;
  const a = duck.from - trackStart - r;
  const b = duck.to - trackStart + r;
  const depth = 1 - duck.factor;
  const expr = `1-${depth.toFixed(4)}*clip(min((t-(${sec(a)}))/${r}\\,(${sec(b)}-t)/${r})\\,0\\,1)`;
  // Commas in the expression are escaped for the graph parser; it contains no ':' for the option parser.
  return `asetnsamples=n=480:p=0,volume=volume=${expr}:eval=frame:precision=float`;
}

function sec(value: number): string {
  return value.toFixed(6);
}

/**
 * Escapes a filter option value for use inside a filter graph: first for the option parser
 * (`\ ' :`), then for the graph parser (`\ ' [ ] , ;`), as FFmpeg's "filtergraph escaping" notes describe.
 */
export function escapeGraphValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}
