import { fileURLToPath } from 'node:url';
import { blobDownloadRoute, defineService, type ServiceDefinition } from '@flatrender/platform';
import { type FileConfig, loadFileConfig } from './file.config';
import { FileRepository } from './file.repository';
import { FileIntake } from './file-intake';
import { FileLifecycle } from './file-lifecycle';
import { identityHandlers } from './handlers/identity.handler';
import { renderHandlers } from './handlers/render.handler';
import { studioHandlers } from './handlers/studio.handler';
import { FfprobeProber } from './processing/ffprobe.prober';
import { findBinary, type MediaProber } from './processing/media-prober';
import { NodeAvProber } from './processing/node-av.prober';
import { RetentionRepository } from './retention.repository';
import { RetentionScheduler } from './retention.scheduler';
import { registerFileRoutes } from './routes/files.routes';
import { registerInternalRoutes } from './routes/internal.routes';
import { TenantPolicyRepository } from './tenant-policy.repository';
import { registerUploadRoutes } from './tus/upload.routes';
import { UploadRepository } from './upload.repository';

export { type FileConfig, fileConfigShape, loadFileConfig } from './file.config';

export interface FileServiceOptions {
  /** Environment the `file` config section is read from (default the process's). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Now, for quotas, retention and cleanups (tests move it). */
  clock?: () => Date;
  /** Media probing adapter (default: ffprobe when installed, node-av otherwise). */
  prober?: MediaProber;
  /** Receives the retention scheduler once the service is set up (tests run it on demand). */
  onRetention?: (scheduler: RetentionScheduler) => void;
}

/**
 * The file service: uploads (multipart and tus), type checks by magic bytes, image/SVG/media
 * processing, quotas from the plan, retention and cleanup, signed downloads (it serves `/v1/blobs`).
 */
export function createFileService(options: FileServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'file',
    schema: 'file_mgr',
    migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
    setup: (ctx) => {
      const config: FileConfig = loadFileConfig({ ...process.env, ...options.env });
      const clock = options.clock ?? (() => new Date());
      const ffprobe = findBinary('ffprobe');
      const prober = options.prober ?? (ffprobe ? new FfprobeProber(ffprobe) : new NodeAvProber());
      const files = new FileRepository();
      const uploads = new UploadRepository();
      const policies = new TenantPolicyRepository(config);
      const intake = new FileIntake({
        ctx,
        config,
        files,
        policies,
        prober,
        ffmpeg: findBinary('ffmpeg'),
        clock,
      });
      const lifecycle = new FileLifecycle(ctx, files, policies, intake, clock);
      const retention = new RetentionScheduler({
        ctx,
        config,
        files,
        uploads,
        policies,
        retention: new RetentionRepository(),
        lifecycle,
        clock,
      });
      options.onRetention?.(retention);
      ctx.logger.info({ prober: prober.name }, 'file service media prober');

      return {
        async routes(app) {
          await registerFileRoutes(app, { ctx, config, files, policies, intake, lifecycle, clock });
          await registerUploadRoutes(app, { ctx, config, intake, uploads, policies, clock });
          registerInternalRoutes(app, { ctx, files, lifecycle });
          // Signed download links of every store point to /v1/blobs, so `nosniff` and `attachment` always
          // apply (an S3 presigned URL cannot carry nosniff). With disk storage the platform process
          // mounts the same route for the store it shares with every service.
          if (ctx.blobs.kind === 's3') await blobDownloadRoute(app, { store: ctx.blobs, secret: ctx.secret });
        },
        events: {
          ...identityHandlers({ policies, retention }),
          ...renderHandlers(lifecycle),
          ...studioHandlers(files),
        },
        start: async () => retention.start(),
        stop: () => retention.stop(),
      };
    },
  });
}

export const fileService = createFileService();
