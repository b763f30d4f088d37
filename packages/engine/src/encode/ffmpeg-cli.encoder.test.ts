import { readdirSync, readFileSync } from 'node:fs';
import { encoderContract } from './encoder.contract';

/** True when no process still has `dir` on its command line (ffmpeg was given a file in it). */
function noProcessUses(dir: string): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) return false;
    } catch {
      // The process ended while we looked.
    }
  }
  return true;
}

encoderContract('ffmpeg', { processGone: noProcessUses });
