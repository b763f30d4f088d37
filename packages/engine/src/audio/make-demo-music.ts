/**
 * Writes packages/engine/assets/music/demo-loop.m4a from the synthesiser (run with
 * `npx tsx packages/engine/src/audio/make-demo-music.ts`). Needs the system ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFfmpeg } from '../encode/ffmpeg-binary';
import { DEMO_MUSIC_FILE, synthesiseDemoLoop } from './demo-music';
import { encodeWav } from './wav';

function main() {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new Error('ffmpeg not found');
  const audio = synthesiseDemoLoop();
  const dir = mkdtempSync(join(tmpdir(), 'flatrender-music-'));
  try {
    const wav = join(dir, 'loop.wav');
    writeFileSync(wav, encodeWav(audio.channels, audio.sampleRate));
    execFileSync(ffmpeg, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      wav,
      '-c:a',
      'aac',
      '-b:a',
      '96k',
      '-movflags',
      '+faststart',
      '-map_metadata',
      '-1',
      '-fflags',
      '+bitexact',
      '-flags:a',
      '+bitexact',
      '-y',
      DEMO_MUSIC_FILE,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`wrote ${DEMO_MUSIC_FILE}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
