/**
 * Render benchmark (npm run bench:render): the reference template (10 s, 1080p30: animated
 * gradient, 3 moving shapes, a 1000x1000 photo with scale and rotation keyframes, two Persian lines
 * revealed word by word, a logo, music) through the whole pipeline and its parts. Each measurement
 * runs in a fresh child process so its peak memory is its own.
 *
 *   pipeline   draw in worker threads + encode to MP4 (+ music), per encoder driver
 *   encode     the same frames, pre-drawn to a raw file, through the same encoder settings
 *   pinned     pipeline and encode again with the ffmpeg encoder confined to the last core and the
 *              Node process (drawing, reading) to the others: how far drawing overlaps encoding
 *              when it has a core of its own, which the unpinned ratio cannot show when the encoder
 *              alone fills every core
 *   still      warm single-frame PNG / JPEG latency
 *   chromium   the same scene as HTML, screenshotted frame by frame in headless Chromium
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseTemplate, resolveComposition, type Template } from '@flatrender/engine';
import {
  audioMixOf,
  BUILTIN_ASSET_DIR,
  compositionSource,
  createEncoder,
  DrawPool,
  defaultWorkerCount,
  type EncoderDriverName,
  findFfmpeg,
  renderStill,
  renderVideo,
  verifyMedia,
} from '@flatrender/engine/node';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { htmlScene } from './html-scene';
import { RssSampler } from './rss-sampler';

const HERE = dirname(fileURLToPath(import.meta.url));
const ASPECT = '16:9' as const;
const LOCALE = 'fa' as const;
const QUALITY = 'standard' as const;

function loadTemplate(): Template {
  return parseTemplate(JSON.parse(readFileSync(join(HERE, 'reference.template.json'), 'utf8')));
}

interface PhaseResult {
  phase: string;
  label: string;
  frames?: number;
  seconds?: number;
  fps?: number;
  steadyFps?: number;
  peakProcessMb: number;
  peakTotalMb: number;
  /** CPU time of the phase's process and its child processes. */
  cpuSeconds: number;
  extra?: Record<string, number | string>;
}

// ---------------------------------------------------------------------------------------------
// Phases (each runs in its own process)

async function pipelinePhase(dir: string, driver: EncoderDriverName, workers: number): Promise<PhaseResult> {
  const rss = new RssSampler().start();
  let steadyFps = 0;
  const started = performance.now();
  const out = join(dir, `pipeline-${driver}-${workers}.mp4`);
  const result = await renderVideo({
    template: loadTemplate(),
    aspect: ASPECT,
    locale: LOCALE,
    format: 'mp4',
    quality: QUALITY,
    out,
    assets: { dir },
    driver,
    workers,
    onProgress: (p) => {
      steadyFps = p.fps;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const memory = rss.stop();
  await verifyMedia(out, {
    format: 'mp4',
    frameCount: result.frames,
    fps: 30,
    width: 1920,
    height: 1080,
    audio: true,
  });
  return {
    phase: 'pipeline',
    label: `pipeline draw+encode MP4 (${driver}, ${workers} draw worker${workers > 1 ? 's' : ''})`,
    frames: result.frames,
    seconds,
    fps: result.frames / seconds,
    steadyFps,
    ...memory,
  };
}

/** Draws every frame once into a raw RGBA file: the input of the encode-only runs. */
async function dumpPhase(dir: string, workers: number): Promise<PhaseResult> {
  const rss = new RssSampler().start();
  const template = loadTemplate();
  const pool = await DrawPool.start({
    source: compositionSource({ template, values: {}, aspect: ASPECT, locale: LOCALE, assets: { dir } }),
    workers,
  });
  const started = performance.now();
  const file = createWriteStream(join(dir, 'frames.rgba'));
  let frames = 0;
  try {
    for await (const { rgba } of pool.frames(0, pool.info.frameCount)) {
      const written = file.write(new Uint8Array(rgba), () => pool.recycle(rgba));
      if (!written) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      frames++;
    }
  } finally {
    await pool.close();
  }
  await new Promise<void>((resolve, reject) =>
    file.end((error?: Error) => (error ? reject(error) : resolve())),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    phase: 'dump',
    label: `draw only, to a raw file (${workers} draw worker${workers > 1 ? 's' : ''})`,
    frames,
    seconds,
    fps: frames / seconds,
    ...rss.stop(),
  };
}

async function encodePhase(dir: string, driver: EncoderDriverName): Promise<PhaseResult> {
  const template = loadTemplate();
  const composition = resolveComposition(template, {}, ASPECT, { locale: LOCALE });
  const frameBytes = composition.width * composition.height * 4;
  const rss = new RssSampler().start();
  const started = performance.now();
  const encoder = await (await createEncoder({ driver })).open({
    out: join(dir, `encode-${driver}.mp4`),
    format: 'mp4',
    width: composition.width,
    height: composition.height,
    fps: composition.fps,
    quality: QUALITY,
    audio: audioMixOf(composition.audio, { dir }),
  });
  const raw = await open(join(dir, 'frames.rgba'));
  let frames = 0;
  try {
    for (;;) {
      const frame = new Uint8Array(frameBytes);
      const { bytesRead } = await raw.read(frame, 0, frameBytes);
      if (bytesRead < frameBytes) break;
      await encoder.write(frame);
      frames++;
    }
  } finally {
    await raw.close();
  }
  await encoder.finish();
  const seconds = (performance.now() - started) / 1000;
  return {
    phase: 'encode',
    label: `encode only, same frames and settings (${driver})`,
    frames,
    seconds,
    fps: frames / seconds,
    ...rss.stop(),
  };
}

async function stillPhase(dir: string): Promise<PhaseResult> {
  const template = loadTemplate();
  const rss = new RssSampler().start();
  const extra: Record<string, number> = {};
  for (const format of ['png', 'jpg'] as const) {
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      await renderStill({
        template,
        aspect: ASPECT,
        locale: LOCALE,
        time: 2 + i * 0.9,
        format,
        assets: { dir },
      });
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
    }
    extra[`${format} first ms`] = Math.round(times[0]!);
    extra[`${format} warm ms`] = Math.round(median(times.slice(1)));
    extra[`${format} warm CPU ms`] = Math.round(median(cpu.slice(1)));
  }
  return { phase: 'still', label: 'single 1080p frame, warm (median of 7)', ...rss.stop(), extra };
}

async function chromiumPhase(dir: string): Promise<PhaseResult> {
  const { chromium } = await import('playwright-core');
  const template = loadTemplate();
  const require = createRequire(import.meta.url);
  const fonts = join(dirname(require.resolve('vazirmatn/package.json')), 'fonts', 'ttf');
  const headline = String(
    template.fields.headline && 'default' in template.fields.headline
      ? pick(template.fields.headline.default)
      : '',
  );
  const subline = String(
    template.fields.subline && 'default' in template.fields.subline
      ? pick(template.fields.subline.default)
      : '',
  );
  const page = join(dir, 'scene.html');
  writeFileSync(
    page,
    htmlScene({
      photoUrl: pathToFileURL(join(dir, 'photo-1000.jpg')).href,
      logoUrl: pathToFileURL(join(BUILTIN_ASSET_DIR, 'logos', 'mark.png')).href,
      fontRegularUrl: pathToFileURL(join(fonts, 'Vazirmatn-Regular.ttf')).href,
      fontExtraBoldUrl: pathToFileURL(join(fonts, 'Vazirmatn-ExtraBold.ttf')).href,
      headline,
      subline,
    }),
  );
  const rss = new RssSampler().start();
  const profile = mkdtempSync(join(tmpdir(), 'flatrender-chromium-'));
  const launchStarted = performance.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1920, height: 1080 },
    deviceScaleFactor: 1,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.goto(pathToFileURL(page).href);
    await tab.evaluate(() => document.fonts.ready.then(() => undefined));
    const launchSeconds = (performance.now() - launchStarted) / 1000;
    const frames = 300;
    const started = performance.now();
    for (let i = 0; i < frames; i++) {
      await tab.evaluate((t) => (window as unknown as { seek(t: number): void }).seek(t), i / 30);
      const jpeg = await tab.screenshot({ type: 'jpeg', quality: 80 });
      if (i === 60) writeFileSync(join(dir, 'chromium-frame-60.jpg'), jpeg);
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      phase: 'chromium',
      label: 'same scene as HTML, Chromium screenshots (JPEG q80, no encoding)',
      frames,
      seconds,
      fps: frames / seconds,
      ...rss.stop(),
      extra: { 'launch s': Number(launchSeconds.toFixed(2)) },
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function pick(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { fa?: string; en?: string };
  return v.fa ?? v.en ?? '';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// ---------------------------------------------------------------------------------------------
// Orchestration

function commandExists(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs one phase in a child process; `cpus` confines it with taskset, `env` adds variables. */
async function runPhase(
  args: string[],
  options: { cpus?: string; env?: Record<string, string> } = {},
): Promise<PhaseResult> {
  const argv = [...process.execArgv, fileURLToPath(import.meta.url), ...args];
  const child = spawn(
    options.cpus ? 'taskset' : process.execPath,
    options.cpus ? ['-c', options.cpus, process.execPath, ...argv] : argv,
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...options.env } },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`phase ${args.join(' ')} failed (exit ${code})`);
  return JSON.parse(line) as PhaseResult;
}

/** The 1000x1000 photo of the reference scene: a square crop of a bundled picture. */
async function makePhoto(dir: string): Promise<void> {
  const source = await loadImage(join(BUILTIN_ASSET_DIR, 'photos', 'mountains.jpg'));
  const canvas = createCanvas(1000, 1000);
  canvas.getContext('2d').drawImage(source, (source.width - 1000) / 2, 0, 1000, 1000, 0, 0, 1000, 1000);
  writeFileSync(join(dir, 'photo-1000.jpg'), await canvas.encode('jpeg', 92));
}

function fmt(n: number | undefined, digits = 1): string {
  return n === undefined ? '' : n.toFixed(digits);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      phase: { type: 'string' },
      dir: { type: 'string' },
      driver: { type: 'string' },
      workers: { type: 'string' },
      'skip-chromium': { type: 'boolean' },
    },
  });
  if (values.phase) {
    const dir = values.dir!;
    const driver = (values.driver ?? 'ffmpeg') as EncoderDriverName;
    const workers = Number(values.workers ?? defaultWorkerCount());
    const result =
      values.phase === 'pipeline'
        ? await pipelinePhase(dir, driver, workers)
        : values.phase === 'dump'
          ? await dumpPhase(dir, workers)
          : values.phase === 'encode'
            ? await encodePhase(dir, driver)
            : values.phase === 'still'
              ? await stillPhase(dir)
              : await chromiumPhase(dir);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'flatrender-bench-'));
  try {
    await makePhoto(dir);
    const drivers: EncoderDriverName[] = findFfmpeg() ? ['ffmpeg', 'node-av'] : ['node-av'];
    const workers = defaultWorkerCount();
    const cores = availableParallelism();
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const ffmpeg = findFfmpeg();
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    process.stdout.write(
      `FlatRender render benchmark: reference template, 10 s 1080p30, quality "${QUALITY}" (x264 veryfast crf 20)\n` +
        `machine: ${cores} cores (${cpu}), Node ${process.version}, ` +
        `ffmpeg ${ffmpeg ? execFileSync(ffmpeg, ['-version']).toString().split(' ')[2] : 'absent'}, ` +
        `load average ${load}\n\n`,
    );
    const results: PhaseResult[] = [];
    const run = async (args: string[], options: Parameters<typeof runPhase>[1] = {}) => {
      const r = await runPhase([...args, '--dir', dir], options);
      results.push(r);
      const speed = r.fps !== undefined ? `${fmt(r.fps).padStart(6)} fps` : '';
      const cpuPerFrame = r.frames ? `, CPU ${fmt((r.cpuSeconds * 1000) / r.frames, 0)} ms/frame` : '';
      const extra = Object.entries(r.extra ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      process.stdout.write(
        `  ${r.label.padEnd(62)} ${speed}${cpuPerFrame}${extra ? `  ${extra}` : ''}` +
          `   peak RSS ${fmt(r.peakProcessMb, 0)} MB (with child processes ${fmt(r.peakTotalMb, 0)} MB)\n`,
      );
      return r;
    };
    const pipeline: Record<string, PhaseResult> = {};
    for (const driver of drivers) {
      pipeline[driver] = await run(['--phase', 'pipeline', '--driver', driver, '--workers', String(workers)]);
    }
    if (cores > 1)
      await run(['--phase', 'pipeline', '--driver', drivers[0]!, '--workers', String(workers + 1)]);
    await run(['--phase', 'dump', '--workers', String(workers)]);
    const encode: Record<string, PhaseResult> = {};
    for (const driver of drivers) encode[driver] = await run(['--phase', 'encode', '--driver', driver]);
    // The encoder on the last core (a wrapper runs ffmpeg under taskset; x264 sizes its threads by
    // that affinity in both runs), everything of the Node process on the others.
    let pinned: { pipeline: PhaseResult; encode: PhaseResult; encoderCore: number } | null = null;
    if (ffmpeg && cores > 1 && commandExists('taskset')) {
      const encoderCore = cores - 1;
      const wrapper = join(dir, 'ffmpeg-pinned');
      writeFileSync(wrapper, `#!/bin/sh\nexec taskset -c ${encoderCore} ${ffmpeg} "$@"\n`, { mode: 0o755 });
      const options = { cpus: `0-${encoderCore - 1}`, env: { FFMPEG_PATH: wrapper } };
      const label = (r: PhaseResult) => ({
        ...r,
        label: `${r.label}, encoder pinned to core ${encoderCore}`,
      });
      const p = label(await run(['--phase', 'pipeline', '--driver', 'ffmpeg', '--workers', '1'], options));
      const e = label(await run(['--phase', 'encode', '--driver', 'ffmpeg'], options));
      pinned = { pipeline: p, encode: e, encoderCore };
    }
    await run(['--phase', 'still']);
    const chromium =
      values['skip-chromium'] || !existsSync('/usr/bin/chromium') ? null : await run(['--phase', 'chromium']);

    // With every core to itself, a phase could not run faster than its CPU time allows: on a busy
    // machine this is the figure to compare, wall-clock fps depend on everything else running.
    const cpuBoundFps = (r: PhaseResult) => (cores * r.frames!) / r.cpuSeconds;
    process.stdout.write('\nsummary\n');
    for (const driver of drivers) {
      const p = pipeline[driver]!;
      const e = encode[driver]!;
      process.stdout.write(
        `  ${driver.padEnd(8)} pipeline ${fmt(p.fps)} fps, encode-only ${fmt(e.fps)} fps, ` +
          `ratio ${fmt(p.fps! / e.fps!, 2)} (goal >= 0.85); CPU-bound on ${cores} idle cores ` +
          `${fmt(cpuBoundFps(p))} vs ${fmt(cpuBoundFps(e))} fps (ratio ${fmt(cpuBoundFps(p) / cpuBoundFps(e), 2)}); ` +
          `peak RSS ${fmt(p.peakProcessMb, 0)} MB node process, ${fmt(p.peakTotalMb, 0)} MB with child processes (goal <= 400)\n`,
      );
    }
    if (pinned) {
      const { pipeline: p, encode: e, encoderCore } = pinned;
      process.stdout.write(
        `  pinned   encoder on core ${encoderCore}, drawing on ${encoderCore === 1 ? 'core 0' : `cores 0-${encoderCore - 1}`}: ` +
          `pipeline ${fmt(p.fps)} fps, encode-only ${fmt(e.fps)} fps, ratio ${fmt(p.fps! / e.fps!, 2)} (goal >= 0.85)\n`,
      );
    }
    if (chromium) {
      const best = Math.max(...drivers.map((d) => pipeline[d]!.fps!));
      process.stdout.write(
        `  Chromium screenshots ${fmt(chromium.fps)} fps (CPU-bound ${fmt(cpuBoundFps(chromium))}); ` +
          `FlatRender draw + encode is ${fmt(best / chromium.fps!, 1)}x faster ` +
          `(CPU-bound ${fmt(Math.max(...drivers.map((d) => cpuBoundFps(pipeline[d]!))) / cpuBoundFps(chromium), 1)}x)\n`,
      );
    }
    process.stdout.write(`\n${JSON.stringify({ workers, results })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
