/**
 * A draw worker: its own Skia canvas, its own fonts (registered by the frame source it builds) and
 * its own copy of the composition. It draws the frames it is asked for and hands back their RGBA.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCanvas } from '@napi-rs/canvas';
import { scaledSize } from '../encode/encode-settings';
import type { Canvas2D } from '../render/canvas.types';
import type { DrawReply, DrawRequest, DrawWorkerData } from './draw.protocol';
import type { CreateFrameSource } from './frame-source';

const port = parentPort!;
const data = workerData as DrawWorkerData;
const reply = (message: DrawReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

async function main(): Promise<void> {
  const mod = (await import(data.source.module)) as { createFrameSource?: CreateFrameSource<unknown> };
  if (typeof mod.createFrameSource !== 'function') {
    throw new Error(`${data.source.module} does not export createFrameSource`);
  }
  const source = await mod.createFrameSource(data.source.input);
  const output = scaledSize(source.width, source.height, data.scale);
  const canvas = createCanvas(output.width, output.height);
  const ctx = canvas.getContext('2d') as unknown as Canvas2D & {
    setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  };
  const sx = output.width / source.width;
  const sy = output.height / source.height;

  // Frames are drawn one at a time, in the order asked.
  let queue = Promise.resolve();
  port.on('message', (request: DrawRequest) => {
    queue = queue.then(async () => {
      try {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        // Transparent areas must not keep the previous frame; in video they encode as black.
        ctx.clearRect(0, 0, output.width, output.height);
        ctx.setTransform(sx, 0, 0, sy, 0, 0);
        await source.drawFrame(ctx, request.frame);
        // The pixels are copied into a buffer that circulates (pool -> worker -> encoder -> pool)
        // rather than handing on data()'s own: nothing is allocated per frame outside this thread,
        // where a dropped 8 MB buffer from another thread gives V8 no reason to collect.
        const pixels = canvas.data();
        const rgba =
          request.buffer?.byteLength === pixels.byteLength
            ? request.buffer
            : new ArrayBuffer(pixels.byteLength);
        new Uint8Array(rgba).set(pixels);
        reply({ type: 'frame', frame: request.frame, rgba }, [rgba]);
        // Native memory (data()'s 8 MB per frame, Skia objects) is freed by finalizers that run
        // from the event loop's immediate queue. With requests queued, frames would follow each
        // other as microtasks and starve them: memory then grew by 8 MB per frame, unbounded.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } catch (error) {
        reply({ type: 'failed', message: `frame ${request.frame}: ${describe(error)}` });
      }
    });
  });
  const { width, height, fps, frameCount } = source;
  reply({ type: 'ready', info: { width, height, fps, frameCount }, output });
}

main().catch((error) => reply({ type: 'failed', message: describe(error) }));
