import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The node's id, generated at first start and kept in `<dataDir>/node-id`, so a restarted node is the
 * same node to the orchestrator (its leases, its history, its quarantine). Two nodes must never
 * share a data directory.
 */
export async function loadNodeId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'node-id');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (UUID.test(existing)) return existing;
    throw new Error(`${file} does not hold a node id (a UUID); remove it to generate a new one`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const id = randomUUID();
  // `wx`: two processes started on one data dir at once must not both believe they created it.
  await writeFile(file, `${id}\n`, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
