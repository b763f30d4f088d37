import { type HttpServer, requirePrincipal, type ScopedDatabase } from '@flatrender/platform';
import { periodOf } from '../domain/quote';
import type { JobRepository } from '../job.repository';
import type { JobService } from '../job.service';
import type { RenderDb } from '../render.db';
import type { UsageRepository } from '../usage.repository';
import { usageQuery, usageSchema } from './render.schemas';

/** `GET /v1/usage`: the month's metered usage against the plan's allowance. */
export function registerUsageRoutes(
  app: HttpServer,
  deps: { db: ScopedDatabase<RenderDb>; usage: UsageRepository; jobs: JobRepository; service: JobService },
): void {
  app.get(
    '/v1/usage',
    {
      schema: {
        tags: ['usage'],
        summary:
          'Usage of a month (render seconds against the allowance, snapshots, mockups, voice-over characters)',
        querystring: usageQuery,
        response: { 200: usageSchema },
      },
    },
    async (req) => {
      const principal = requirePrincipal(req, { scope: 'renders:read' });
      const period = req.query.period ?? periodOf(new Date());
      const standing = await deps.service.standing(principal.tenantId);
      const { totals, reserved, figures } = await deps.db.withTenant(principal.tenantId, async (tx) => ({
        totals: await deps.usage.totals(tx, principal.tenantId, period),
        reserved: await deps.jobs.reservedSeconds(tx, principal.tenantId, period),
        figures: await deps.usage.jobFigures(tx, principal.tenantId, period),
      }));
      const used = totals.render_seconds ?? 0;
      const limit = standing.limits.monthly_render_seconds;
      return {
        period,
        plan: standing.planCode,
        render_seconds: {
          used,
          reserved,
          limit,
          remaining: limit === null ? null : Math.max(0, limit - used - reserved),
        },
        snapshots: totals.snapshots ?? 0,
        mockups: totals.mockups ?? 0,
        voiceover_characters: totals.voiceover_characters ?? 0,
        jobs: figures.jobs,
        frames: figures.frames,
        size_bytes: figures.size_bytes,
      };
    },
  );
}
