import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createGatewayService } from '@flatrender/gateway';
import { type RunningPlatform, startPlatformProcess } from '../../../bin/cli/platform-process';
import { type FakeIdentity, fakeFileService } from './fake-services';

export type Mode = 'one-process' | 'distributed';

export interface Topology {
  mode: Mode;
  /** The gateway's base URL: the only address clients use. */
  url: string;
  processes: RunningPlatform[];
  stop(): Promise<void>;
}

/**
 * Runs the real process composition (`startPlatformProcess`) around the stand-in identity and file
 * services: all in one server, or each service as its own "process" (its own server, bus connection
 * and internal client, talking over HTTP) behind a gateway that proxies to them.
 */
export async function startTopology(
  mode: Mode,
  fake: FakeIdentity,
  env: Record<string, string>,
): Promise<Topology> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-gateway-'));
  const base = {
    HOST: '127.0.0.1',
    PORT: '0',
    FLATRENDER_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...env,
  };
  const processes: RunningPlatform[] = [];
  const stop = async () => {
    for (const p of processes.reverse()) await p.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (mode === 'one-process') {
      processes.push(
        await startPlatformProcess({
          services: ['gateway', 'identity', 'file'],
          definitions: [createGatewayService({ env: base }), fake.service, fakeFileService],
          mode: 'distributed',
          http: true,
          env: base,
        }),
      );
    } else {
      const identity = await startPlatformProcess({
        services: ['identity'],
        definitions: [fake.service],
        mode: 'distributed',
        http: true,
        env: base,
      });
      processes.push(identity);
      // Every service verifies tokens itself against identity's keys, so each knows IDENTITY_URL.
      const file = await startPlatformProcess({
        services: ['file'],
        definitions: [fakeFileService],
        mode: 'distributed',
        http: true,
        env: { ...base, IDENTITY_URL: identity.url as string },
      });
      processes.push(file);
      processes.push(
        await startPlatformProcess({
          services: ['gateway'],
          mode: 'distributed',
          http: true,
          env: { ...base, IDENTITY_URL: identity.url as string, FILE_URL: file.url as string },
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const gateway = processes.at(-1) as RunningPlatform;
  return { mode, url: gateway.url as string, processes, stop };
}

/** Reads Server-Sent Events frames from a streaming response until `done` says so or time runs out. */
export async function readEvents(
  res: Response,
  done: (frames: string[]) => boolean,
  timeoutMs = 10_000,
): Promise<string[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const frames: string[] = [];
  let buffer = '';
  const timer = setTimeout(() => reader.cancel().catch(() => undefined), timeoutMs);
  try {
    while (!done(frames)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        frames.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  return frames;
}

/** The `data:` of the frames that carry an event, parsed. */
export function eventsIn(
  frames: string[],
): { event_type: string; event_id: string; data: Record<string, unknown> }[] {
  return frames
    .filter((f) => f.includes('\ndata: ') || f.startsWith('data: '))
    .map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)));
}
