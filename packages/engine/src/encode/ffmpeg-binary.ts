import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/**
 * Locates the system ffmpeg/ffprobe. `FFMPEG_PATH` (and `FFPROBE_PATH`) win over PATH so an operator
 * can pin a build; ffprobe is looked for next to a pinned ffmpeg first, since they ship together.
 */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): string | null {
  const pinned = env.FFMPEG_PATH;
  if (pinned) return isExecutable(pinned) ? pinned : null;
  return findOnPath('ffmpeg', env);
}

export function findFfprobe(env: NodeJS.ProcessEnv = process.env): string | null {
  const pinned = env.FFPROBE_PATH;
  if (pinned) return isExecutable(pinned) ? pinned : null;
  if (env.FFMPEG_PATH) {
    const sibling = join(dirname(env.FFMPEG_PATH), 'ffprobe');
    if (isExecutable(sibling)) return sibling;
  }
  return findOnPath('ffprobe', env);
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
