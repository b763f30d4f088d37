import { FfprobeProber } from './ffprobe.prober';
import { findBinary } from './media-prober';
import { mediaProberContract } from './media-prober.contract';

const ffprobe = findBinary('ffprobe');
if (!ffprobe) throw new Error('ffprobe is required to test the ffprobe adapter (install ffmpeg)');
mediaProberContract('ffprobe', () => new FfprobeProber(ffprobe));
