/**
 * Runs eSpeak NG (WASM) once in its own thread: synthesis blocks the thread it runs on for up to a
 * few seconds, and the node's main thread must keep heartbeating, listening for cancels and feeding
 * encoders meanwhile. Cancelling terminates the thread.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import ESpeakNG from 'espeak-ng';

export interface EspeakJob {
  args: string[];
  text: string;
}

export type EspeakReply = { type: 'done'; wav: Uint8Array } | { type: 'failed'; message: string };

const job = workerData as EspeakJob;
const port = parentPort!;

async function main(): Promise<void> {
  const entry = createRequire(import.meta.url).resolve('espeak-ng');
  const wasm = await WebAssembly.compile(await readFile(path.join(path.dirname(entry), 'espeak-ng.wasm')));
  const errors: string[] = [];
  const module = await ESpeakNG({
    // The text is read from a file, never from the command line, so no text is taken for an option.
    arguments: [...job.args, '-f', '/in.txt', '-w', '/out.wav'],
    preRun: [(m) => m.FS.writeFile('/in.txt', job.text)],
    print: () => undefined,
    printErr: (line) => {
      if (!line.includes('keepRuntimeAlive')) errors.push(line);
    },
    instantiateWasm(imports, done) {
      void WebAssembly.instantiate(wasm, imports).then((instance) => done(instance, wasm));
      return {};
    },
  });
  let wav: Uint8Array;
  try {
    wav = module.FS.readFile('/out.wav');
  } catch {
    throw new Error(`espeak-ng wrote no audio${errors.length ? `: ${errors.join('; ')}` : ''}`);
  }
  port.postMessage({ type: 'done', wav } satisfies EspeakReply, [wav.buffer as ArrayBuffer]);
}

main().catch((error: unknown) =>
  port.postMessage({
    type: 'failed',
    message: (error as Error).message ?? String(error),
  } satisfies EspeakReply),
);
