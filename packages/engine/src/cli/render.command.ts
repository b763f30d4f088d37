import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { QUALITIES, VIDEO_FORMATS } from '../encode/encode-settings';
import type { EncoderDriverChoice } from '../encode/encoder';
import { renderVideo } from '../pipeline/render-video';
import { progressPrinter } from './progress-line';
import { loadProject, PROJECT_OPTIONS, parseEnum, parseNumber, UsageError } from './project-args';
import { reportFailure } from './report-failure';

export const RENDER_USAGE = `flatrender render <template.json> [options]

  --set field=value        set a field (repeatable): --set brand=#e94560 --set intro.title="Hi"
  --duration scene=secs    set a scene's length (repeatable)
  --values file.json       project values ({ fields, durations, scenes })
  --aspect 16:9            16:9 | 9:16 | 1:1 | 4:5 (default: the template's first)
  --locale fa              fa | en (default: the template's first)
  --format mp4             mp4 | webm | gif (default: from --out, else mp4)
  --quality standard       draft | standard | high
  --scale 1                resolution scaling, e.g. 0.5 for half size
  --range 0:90             render frames [start, end) only, as a video-only chunk
  --driver auto            auto | ffmpeg | node-av
  --workers N              draw threads (default: one per spare core)
  --watermark              draw the FlatRender watermark
  --out file               output file (default: <template>-<aspect>.<format>)
`;

/** `flatrender render ...`: returns the process exit code (0 ok, 1 failed, 2 usage, 130 cancelled). */
export async function runRenderCommand(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const progress = progressPrinter();
  try {
    const { values: opts, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...PROJECT_OPTIONS,
        format: { type: 'string', short: 'f' },
        range: { type: 'string' },
        driver: { type: 'string' },
        workers: { type: 'string' },
      },
    });
    if (opts.help) {
      process.stdout.write(RENDER_USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const project = await loadProject(positionals[0], opts);
    const fromOut = opts.out ? extname(opts.out).slice(1) : undefined;
    const format = parseEnum(
      '--format',
      opts.format ?? (VIDEO_FORMATS.includes(fromOut as never) ? fromOut : undefined),
      VIDEO_FORMATS,
      'mp4',
    );
    const out = opts.out ?? `${project.template.id}-${project.aspect.replace(':', 'x')}.${format}`;
    const range = parseRange(opts.range);
    const workers = parseNumber('--workers', opts.workers);
    const scale = parseNumber('--scale', opts.scale);
    const result = await renderVideo({
      template: project.template,
      values: project.values,
      aspect: project.aspect,
      locale: project.locale,
      format,
      quality: parseEnum('--quality', opts.quality, QUALITIES, 'standard'),
      out,
      assets: project.assets,
      driver: parseEnum<EncoderDriverChoice>('--driver', opts.driver, ['auto', 'ffmpeg', 'node-av'], 'auto'),
      ...(range ? { range } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(scale !== undefined ? { scale } : {}),
      ...(opts.watermark ? { watermark: true } : {}),
      onProgress: progress.update,
      signal: controller.signal,
    });
    progress.done();
    process.stdout.write(
      `${result.out}: ${result.frames} frames, ${result.width}x${result.height} @ ${result.fps} fps, ` +
        `${result.elapsedSeconds.toFixed(1)} s (${result.driver})\n`,
    );
    return 0;
  } catch (error) {
    progress.done();
    return reportFailure(error, RENDER_USAGE);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function parseRange(value: string | undefined): [number, number] | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+):(\d+)$/.exec(value);
  if (!match) throw new UsageError(`--range expects start:end frame numbers, e.g. 0:90`);
  return [Number(match[1]), Number(match[2])];
}
