import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Encoders write to a hidden sibling and rename on success, so a reader of `out` never sees a
 * half-written file and an aborted render leaves nothing behind under its real name.
 */
export function partPath(out: string, tag = 'part'): string {
  return join(dirname(out), `.${basename(out)}.${tag}-${randomBytes(4).toString('hex')}`);
}

export async function commitPart(part: string, out: string): Promise<void> {
  await rename(part, out);
}

export async function removeQuietly(...files: string[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f, { force: true })));
}
