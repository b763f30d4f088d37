import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { QUALITIES, STILL_FORMATS } from '../encode/encode-settings';
import { renderStill } from '../pipeline/render-still';
import { loadProject, PROJECT_OPTIONS, parseEnum, parseNumber, UsageError } from './project-args';
import { reportFailure } from './report-failure';

export const STILL_USAGE = `flatrender still <template.json> [options]

  --time 2.5               seconds into the video (default 0)
  --format png             png | jpg | svg (default: from --out, else png)
  --set field=value        set a field (repeatable)
  --duration scene=secs    set a scene's length (repeatable)
  --values file.json       project values ({ fields, durations, scenes })
  --aspect 16:9            16:9 | 9:16 | 1:1 | 4:5 (default: the template's first)
  --locale fa              fa | en
  --quality standard       JPEG quality: draft | standard | high
  --scale 1                resolution scaling (PNG and JPEG)
  --watermark              draw the FlatRender watermark
  --out file               output file (default: <template>-<aspect>.<format>)
`;

/** `flatrender still ...`: returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runStillCommand(argv: string[]): Promise<number> {
  try {
    const { values: opts, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...PROJECT_OPTIONS,
        format: { type: 'string', short: 'f' },
        time: { type: 'string', short: 't' },
      },
    });
    if (opts.help) {
      process.stdout.write(STILL_USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const project = await loadProject(positionals[0], opts);
    const fromOut = opts.out ? extname(opts.out).slice(1).replace('jpeg', 'jpg') : undefined;
    const format = parseEnum(
      '--format',
      opts.format ?? (STILL_FORMATS.includes(fromOut as never) ? fromOut : undefined),
      STILL_FORMATS,
      'png',
    );
    const out = opts.out ?? `${project.template.id}-${project.aspect.replace(':', 'x')}.${format}`;
    const scale = parseNumber('--scale', opts.scale);
    const time = parseNumber('--time', opts.time) ?? 0;
    const started = performance.now();
    const still = await renderStill({
      template: project.template,
      values: project.values,
      aspect: project.aspect,
      locale: project.locale,
      time,
      format,
      quality: parseEnum('--quality', opts.quality, QUALITIES, 'standard'),
      assets: project.assets,
      out,
      ...(scale !== undefined ? { scale } : {}),
      ...(opts.watermark ? { watermark: true } : {}),
    });
    process.stdout.write(
      `${out}: ${still.format} ${still.width}x${still.height}, ${still.data.length} bytes, ` +
        `${Math.round(performance.now() - started)} ms\n`,
    );
    return 0;
  } catch (error) {
    return reportFailure(error, STILL_USAGE);
  }
}
