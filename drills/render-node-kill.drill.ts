import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { type Drill, Expectations, seconds, waitUntil } from './support/drill';
import { publishDrillTemplate } from './support/drill-template';
import type { DrillPlatform } from './support/platform';

const run = promisify(execFile);
const JOBS = 50;

interface JobRow {
  id: string;
  status: string;
  frame_count: number | null;
  output: { frame_count?: number; size_bytes?: number; download_url?: string } | null;
}

/**
 * 50 video jobs on two render nodes; once work is under way one node is killed with SIGKILL (no drain,
 * no goodbye). Expected: its leases expire, the reaper re-dispatches its chunks with new fencing
 * tokens, the other node finishes everything, every output is verified, and no chunk counts twice.
 */
export function renderNodeKillDrill(platform: () => Promise<DrillPlatform>): Drill {
  return {
    name: 'render-node-kill',
    title: 'kill -9 a render node during 50 jobs',
    budgetSeconds: 900,
    async run({ log }) {
      const expectations = new Expectations();
      const p = await platform();
      const account = await p.account();
      const templateId = await publishDrillTemplate(p, account, `drill-kill-${Date.now()}`);
      const client = new pg.Client({ connectionString: p.deployment.databaseUrl });
      await client.connect();
      try {
        // Forced row-level security applies to the owner too: read as the system scope.
        await client.query("SELECT set_config('app.scope', 'system', false)");
        const started = Date.now();
        const batch = await p.api<{ jobs: { id: string }[] }>(
          'POST',
          '/v1/renders/batch',
          {
            template_id: templateId,
            // Distinct values: identical renders would be answered from the render cache.
            rows: Array.from({ length: JOBS }, (_, i) => ({
              modifications: { 'intro.title': `Drill ${i + 1}` },
            })),
            output: { format: 'mp4', quality: 'draft' },
          },
          account.token,
        );
        if (batch.status !== 202)
          throw new Error(`batch: ${batch.status} ${JSON.stringify(batch.body).slice(0, 800)}`);
        const ids = batch.body.jobs.map((j) => j.id);
        const jobs = async () =>
          (
            await client.query<JobRow>(
              'SELECT id, status, frame_count, output FROM render.render_job WHERE id = ANY($1)',
              [ids],
            )
          ).rows;
        const done = async () =>
          (await jobs()).filter((j) => ['completed', 'failed', 'cancelled'].includes(j.status)).length;

        // Kill the node while it holds leases, after some jobs have finished.
        const victim = p.deployment.processes.find((x) => x.name === 'node-1');
        if (!victim) throw new Error('no node-1');
        const holding = async () =>
          Number(
            (
              await client.query<{ n: string }>(
                `SELECT count(*) AS n FROM render.render_item i JOIN render.render_node n ON n.id = i.node_id
                  WHERE i.job_id = ANY($1) AND i.status = 'leased'`,
                [ids],
              )
            ).rows[0]?.n ?? 0,
          );
        await waitUntil(async () => (await done()) >= 5 && (await holding()) > 0, 300_000, 200);
        const completedBefore = await done();
        const leasedBefore = await holding();
        log(`kill -9 node-1 (${completedBefore} of ${JOBS} jobs done, ${leasedBefore} items leased)`);
        const killedAt = Date.now();
        victim.kill9();

        const finished = await waitUntil(async () => (await done()) === JOBS, 600_000, 500);
        const elapsed = Date.now() - started;
        const rows = await jobs();
        const completed = rows.filter((j) => j.status === 'completed');
        const attempts = await client.query<{ status: string; n: string }>(
          `SELECT a.status, count(*) AS n FROM render.render_attempt a JOIN render.render_item i ON i.id = a.item_id
            WHERE i.job_id = ANY($1) GROUP BY a.status`,
          [ids],
        );
        const byStatus = Object.fromEntries(attempts.rows.map((r) => [r.status, Number(r.n)]));
        const doubles = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM (
             SELECT a.item_id FROM render.render_attempt a JOIN render.render_item i ON i.id = a.item_id
              WHERE i.job_id = ANY($1) AND a.status = 'completed' GROUP BY a.item_id HAVING count(*) > 1) d`,
          [ids],
        );
        const items = await client.query<{ n: string; done: string }>(
          `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'done') AS done FROM render.render_item WHERE job_id = ANY($1)`,
          [ids],
        );
        const recoveredItems = await client.query<{ n: string }>(
          `SELECT count(DISTINCT a.item_id) AS n FROM render.render_attempt a JOIN render.render_item i ON i.id = a.item_id
            WHERE i.job_id = ANY($1) AND a.status IN ('expired', 'superseded')`,
          [ids],
        );

        // Every output as a client gets it: downloaded through the API and probed.
        let probed = 0;
        const frameMismatch: string[] = [];
        const dir = await mkdtemp(path.join(os.tmpdir(), 'flatrender-drill-kill-'));
        try {
          for (const job of completed) {
            const view = await p.api<{ output?: { download_url?: string } }>(
              'GET',
              `/v1/renders/${job.id}`,
              undefined,
              account.token,
            );
            const url = view.body.output?.download_url;
            if (!url) {
              frameMismatch.push(`${job.id}: no download_url`);
              continue;
            }
            const res = await fetch(url.startsWith('http') ? url : `${p.url}${url}`, {
              headers: { authorization: `Bearer ${account.token}` },
            });
            const file = path.join(dir, `${job.id}.mp4`);
            await writeFile(file, Buffer.from(await res.arrayBuffer()));
            const { stdout } = await run('ffprobe', [
              '-v',
              'error',
              '-count_frames',
              '-select_streams',
              'v:0',
              '-show_entries',
              'stream=nb_read_frames',
              '-of',
              'csv=p=0',
              file,
            ]);
            const frames = Number(stdout.trim());
            if (frames !== job.frame_count)
              frameMismatch.push(`${job.id}: ${frames} frames, expected ${job.frame_count}`);
            probed++;
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }

        expectations.expect(
          finished,
          `only ${rows.filter((j) => j.status !== 'queued' && j.status !== 'rendering').length} of ${JOBS} jobs ended`,
        );
        expectations.expect(
          completed.length === JOBS,
          `${completed.length} of ${JOBS} jobs completed (${rows.filter((j) => j.status === 'failed').length} failed)`,
        );
        expectations.expect(Number(doubles.rows[0]?.n) === 0, `${doubles.rows[0]?.n} items completed twice`);
        expectations.expect(Number(items.rows[0]?.n) === Number(items.rows[0]?.done), 'items not done');
        expectations.expect(
          frameMismatch.length === 0,
          `outputs wrong: ${frameMismatch.slice(0, 3).join('; ')}`,
        );
        expectations.expect(
          Number(recoveredItems.rows[0]?.n) > 0,
          'no lease of the killed node expired: the kill was not felt',
        );
        return expectations.result(
          `${completed.length}/${JOBS} completed in ${seconds(elapsed)} (kill at ${seconds(killedAt - started)}, ${completedBefore} done then); ` +
            `${recoveredItems.rows[0]?.n} chunks re-dispatched after lease expiry; ${probed} outputs downloaded and probed, frame counts right; ` +
            `items completed twice: ${doubles.rows[0]?.n}; attempts ${JSON.stringify(byStatus)}`,
        );
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
