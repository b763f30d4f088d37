export { type ChunkSet, concatScript, inspectChunks, type ProbedChunk } from './chunk-list';
export {
  GIF_DEFAULT_FPS,
  type OutputSize,
  outputSize,
  planEncode,
  QUALITIES,
  QUALITY_PRESETS,
  type Quality,
  STILL_FORMATS,
  type StillFormat,
  scaledSize,
  VIDEO_FORMATS,
  type VideoFormat,
} from './encode-settings';
export {
  createEncoder,
  type EncodeResult,
  EncoderAbortedError,
  type EncoderDriver,
  type EncoderDriverChoice,
  type EncoderDriverName,
  EncoderError,
  type JoinOptions,
  type VideoEncoder,
  type VideoEncodeSpec,
} from './encoder';
export { findFfmpeg, findFfprobe } from './ffmpeg-binary';
export { joinChunks } from './join-chunks';
export {
  type AudioStreamInfo,
  type MediaInfo,
  MediaProbeError,
  probeMedia,
  type VideoStreamInfo,
} from './probe-media';
export { encodeStill, FAST_PNG, type RasterStillFormat } from './still-encoder';
export { type MediaExpectation, MediaVerificationError, verifyMedia } from './verify-media';
