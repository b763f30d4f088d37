export {
  type AudioMix,
  type AudioMixTrack,
  AudioTrackError,
  buildAudioGraph,
  escapeGraphValue,
  type MusicTrack,
  mixTracks,
  type ResolvedTrack,
  resolveAudioMix,
  resolveAudioTracks,
} from './audio-mix';
export { DEMO_MUSIC_FILE, DEMO_MUSIC_REF, synthesiseDemoLoop } from './demo-music';
export { encodeWav } from './wav';
