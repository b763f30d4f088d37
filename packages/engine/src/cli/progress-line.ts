import type { RenderProgress } from '../pipeline/progress';

const BAR_WIDTH = 28;

/**
 * A one-line progress bar on a terminal (redrawn in place), or a plain line every few seconds when
 * the output is a log file or CI.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): {
  update(progress: RenderProgress): void;
  done(): void;
} {
  const tty = stream.isTTY === true;
  let lastPlain = 0;
  let drawn = false;
  return {
    update(p) {
      const line = formatProgress(p);
      if (tty) {
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
      } else if (p.elapsedSeconds - lastPlain >= 2 || p.framesDone === p.totalFrames) {
        lastPlain = p.elapsedSeconds;
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}

export function formatProgress(p: RenderProgress): string {
  const ratio = p.totalFrames > 0 ? p.framesDone / p.totalFrames : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const eta = p.etaSeconds === null ? '--' : formatSeconds(p.etaSeconds);
  return `[${bar}] ${String(Math.floor(ratio * 100)).padStart(3)}%  ${p.framesDone}/${p.totalFrames} frames  ${p.fps.toFixed(1)} fps  ETA ${eta}`;
}

function formatSeconds(seconds: number): string {
  const s = Math.ceil(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
