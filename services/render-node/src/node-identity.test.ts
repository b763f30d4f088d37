import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadNodeId } from './node-identity';

describe('loadNodeId', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'node-id-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates an id at first start and keeps it across restarts', async () => {
    const first = await loadNodeId(path.join(dir, 'data'));
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await loadNodeId(path.join(dir, 'data'))).toBe(first);
    expect((await readFile(path.join(dir, 'data', 'node-id'), 'utf8')).trim()).toBe(first);
  });

  it('refuses a node-id file that holds no id instead of silently becoming another node', async () => {
    await writeFile(path.join(dir, 'node-id'), 'not-an-id\n');
    await expect(loadNodeId(dir)).rejects.toThrow(/does not hold a node id/);
  });
});
