/**
 * The node-av driver's thread. Everything FFmpeg does for a node-av encode happens here (RGBA to
 * YUV conversion, encoding, muxing, chunk joining), because the conversion alone blocks a thread for
 * 7-8 ms per 1080p frame and must not stall the render's main thread.
 *
 * What must stay true: this thread is never terminated from outside while a node-av call is in
 * flight. node-av completes its calls on the libuv pool and throws into the thread when they end;
 * if the thread is being torn down at that moment, node-addon-api aborts the whole process. So the
 * thread ends itself: after finishing, failing or being asked to abort, it lets the call in flight
 * complete, closes its port, and its event loop runs dry.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Encoder, FilterAPI, Muxer } from 'node-av/api';
import {
  AV_LOG_ERROR,
  AV_PIX_FMT_RGB0,
  AVERROR_EAGAIN,
  AVERROR_EOF,
  AVMEDIA_TYPE_VIDEO,
  type FFEncoderCodec,
} from 'node-av/constants';
import { Dictionary, FilterGraph, FormatContext, Frame, InputFormat, Log, Packet } from 'node-av/lib';
import type { NodeAvJob, WorkerReply, WorkerRequest } from './node-av.protocol';

const port = parentPort!;
const job = workerData as NodeAvJob;

const reply = (message: WorkerReply) => port.postMessage(message);

// The log level and callback are process-wide in FFmpeg. Only the level is set: a callback would
// bind FFmpeg's logging to this thread, and once the thread is gone the next node-av worker hangs.
Log.setLevel(AV_LOG_ERROR);

function failure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function rational(fps: number): { num: number; den: number } {
  for (const den of [1, 1001, 1000, 100]) {
    const num = fps * den;
    if (Math.abs(num - Math.round(num)) < 1e-6) return { num: Math.round(num), den };
  }
  return { num: Math.round(fps * 1000), den: 1000 };
}

async function runEncode(encodeJob: Extract<NodeAvJob, { kind: 'encode' }>): Promise<void> {
  const { spec, plan, part } = encodeJob;
  const frameRate = rational(spec.fps);
  const timeBase = { num: frameRate.den, den: frameRate.num };
  const filter = FilterAPI.create(plan.videoFilter, { framerate: frameRate });
  const encoder = await Encoder.create(plan.codec as FFEncoderCodec, { filter, options: plan.codecOptions });
  const muxer = await Muxer.open(part, { format: plan.muxer, options: plan.muxerOptions });
  const stream = muxer.addStream(encoder);
  let frames = 0;

  const drainFilter = async (flushing: boolean) => {
    for (;;) {
      const out = await filter.receive();
      if (!(out instanceof Frame)) break;
      try {
        for (const packet of await encoder.encodeAll(out)) {
          await muxer.writePacket(packet, stream);
          packet.free();
        }
      } finally {
        out.free();
      }
    }
    if (flushing) {
      for await (const packet of encoder.flushPackets()) {
        await muxer.writePacket(packet, stream);
        packet.free();
      }
    }
  };

  let queue = Promise.resolve();
  let stopped = false;
  port.on('message', (message: WorkerRequest) => {
    if (message.type === 'abort') {
      stopped = true;
      queue = queue.then(() => port.close());
      return;
    }
    queue = queue.then(async () => {
      if (stopped) return;
      try {
        if (message.type === 'frame') {
          const frame = Frame.fromVideoBuffer(Buffer.from(message.buffer), {
            width: spec.width,
            height: spec.height,
            format: AV_PIX_FMT_RGB0,
            timeBase,
            pts: BigInt(frames),
          });
          frames++;
          try {
            await filter.process(frame);
          } finally {
            frame.free();
          }
          // The RGBA is copied into the AVFrame above: the buffer goes back to the producer.
          port.postMessage({ type: 'consumed', buffer: message.buffer } satisfies WorkerReply, [
            message.buffer,
          ]);
          await drainFilter(false);
        } else if (message.type === 'finish') {
          await filter.process(null);
          await drainFilter(true);
          await muxer.writePacket(null, stream);
          await muxer.close();
          encoder.close();
          filter.close();
          stopped = true;
          reply({ type: 'finished', frames });
          port.close();
        }
      } catch (error) {
        stopped = true;
        reply({ type: 'failed', message: failure(error) });
        port.close();
      }
    });
  });
  reply({ type: 'ready' });
}

async function runJoin(joinJob: Extract<NodeAvJob, { kind: 'join' }>): Promise<void> {
  const input = new FormatContext();
  const outputs: Array<{ close(): Promise<void> | void }> = [];
  try {
    // Same concat script and demuxer as the ffmpeg CLI driver: identical timestamps.
    const concat = InputFormat.findInputFormat('concat');
    if ((await input.openInput(joinJob.concatList, concat, Dictionary.fromObject({ safe: '0' }))) < 0) {
      throw new Error(`cannot open chunk list ${joinJob.concatList}`);
    }
    await input.findStreamInfo(null);
    const videoIn = input.streams?.find((s) => s.codecpar.codecType === AVMEDIA_TYPE_VIDEO);
    if (!videoIn) throw new Error('chunks have no video stream');

    // Synchronous writes: no write may still be running on the pool when this thread ends.
    const muxer = await Muxer.open(joinJob.part, {
      format: joinJob.muxer,
      options: joinJob.muxerOptions,
      useAsyncWrite: false,
    });
    outputs.push(muxer);
    const videoOut = muxer.addStream(videoIn);

    let audio: { graph: FilterGraph; encoder: Encoder; stream: number } | null = null;
    if (joinJob.audio) {
      const graph = new FilterGraph();
      graph.alloc();
      if (graph.parse2(`${joinJob.audio.graph},abuffersink@out`) < 0 || (await graph.config()) < 0) {
        throw new Error('invalid audio filter graph');
      }
      const encoder = await Encoder.create(joinJob.audio.codec as FFEncoderCodec, {
        options: { b: joinJob.audio.bitrate },
      });
      audio = { graph, encoder, stream: muxer.addStream(encoder) };
    }
    const sink = audio?.graph.getFilter('abuffersink@out') ?? null;

    const audioFrame = new Frame();
    audioFrame.alloc();
    let audioDone = !audio;
    let audioSeconds = 0;
    // Encodes audio until it is ahead of `untilSeconds`, so the two streams reach the muxer interleaved.
    const pumpAudio = async (untilSeconds: number) => {
      while (audio && sink && !audioDone && audioSeconds <= untilSeconds) {
        const ret = await sink.buffersinkGetFrame(audioFrame);
        if (ret === AVERROR_EAGAIN) continue;
        const packets = ret === AVERROR_EOF || ret < 0 ? [] : await audio.encoder.encodeAll(audioFrame);
        if (ret >= 0) {
          audioSeconds += audioFrame.nbSamples / audioFrame.sampleRate;
          audioFrame.unref();
        } else {
          audioDone = true;
          for await (const p of audio.encoder.flushPackets()) packets.push(p);
        }
        for (const packet of packets) {
          await muxer.writePacket(packet, audio.stream);
          packet.free();
        }
      }
    };

    await pumpAudio(0);
    const packet = new Packet();
    packet.alloc();
    const tb = videoIn.timeBase;
    while ((await input.readFrame(packet)) >= 0) {
      if (packet.streamIndex === videoIn.index) {
        const seconds = packet.dts !== null ? (Number(packet.dts) * tb.num) / tb.den : audioSeconds;
        await pumpAudio(seconds + 0.5);
        // readFrame leaves the packet's time base unset; the muxer's stream-copy path rescales from it.
        packet.timeBase = tb;
        await muxer.writePacket(packet, videoOut);
      }
      packet.unref();
    }
    packet.free();
    await pumpAudio(Number.POSITIVE_INFINITY);
    audioFrame.free();
    await muxer.writePacket(null, videoOut);
    if (audio) await muxer.writePacket(null, audio.stream);
    await muxer.close();
    audio?.encoder.close();
    audio?.graph.free();
    await input.closeInput();
    reply({ type: 'finished', frames: 0 });
  } catch (error) {
    for (const o of outputs) await o.close();
    await input.closeInput();
    reply({ type: 'failed', message: failure(error) });
  }
  port.close();
}

const fatal = (error: unknown) => {
  reply({ type: 'failed', message: failure(error) });
  port.close();
};
if (job.kind === 'encode') runEncode(job).catch(fatal);
else runJoin(job).catch(fatal);
