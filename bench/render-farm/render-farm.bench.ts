/**
 * Render farm benchmark (`npm run bench:render-farm`): the orchestrator with real `flatrender node`
 * processes on real PostgreSQL, RabbitMQ and an S3 server (the integration tests' harness).
 *
 * 1. Throughput of a chunked 1080p render (the `podcast-intro` demo: 10 s, 30 fps, 300 frames with
 *    music, split into 1 s chunks, joined without re-encoding): one node pinned to one core
 *    (`taskset -c 0`) against two nodes pinned to one core each (`-c 0`, `-c 1`). Goal >= 1.7x.
 * 2. Warm snapshot latency through the API: 200 1080p JPEG stills, each `POST /v1/snapshots` then
 *    one long poll, `GET /v1/snapshots/:id?wait=10`, which answers once it is `ready`. Goal p50 <=
 *    100 ms, p95 <= 250 ms.
 *
 * Options: --renders N (renders per farm size, default 2; 0 skips the throughput part), --stills N
 * (default 200).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { TemplateInput } from '@flatrender/engine';
import { demoTemplates } from '@flatrender/engine/node';
import type { ServiceHarness } from '@flatrender/platform/testing';
import { type NodeProcess, spawnNode } from '../../services/render/test/node-processes';
import {
  client,
  publishTemplate,
  ROOMY,
  rows,
  setPlan,
  startRenderHarness,
  waitFor,
} from '../../services/render/test/render-test-kit';

const { values: args } = parseArgs({
  options: { renders: { type: 'string', default: '2' }, stills: { type: 'string', default: '200' } },
});
const RENDERS = Number(args.renders);
const STILLS = Number(args.stills);

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const harness: ServiceHarness = await startRenderHarness({
    RENDER_CHUNK_SECONDS: '1',
    RENDER_SPLIT_ABOVE_SECONDS: '1',
    RENDER_LEASE_SECONDS: '30',
    RENDER_NODE_TIMEOUT_SECONDS: '60',
    RENDER_FREE_SNAPSHOT: 'false',
    RENDER_REAPER_INTERVAL_MS: '1000',
  });
  const nodes: NodeProcess[] = [];
  try {
    const url = await harness.app.listen({ port: 0, host: '127.0.0.1' });
    const demo = demoTemplates().find((t) => t.id === 'podcast-intro');
    if (!demo) throw new Error('demo template podcast-intro is missing');
    const template = await publishTemplate(harness, demo.document as TemplateInput);
    const owner = harness.newPrincipal();
    await setPlan(harness, owner.tenantId, {
      ...ROOMY,
      max_concurrent_jobs: 50,
      monthly_render_seconds: null,
    });
    const api = client(harness, owner);

    const renderOnce = async (label: string): Promise<number> => {
      const started = performance.now();
      const res = await api.post('/v1/renders', {
        template_id: template.template_id,
        // Every render differs (the render cache would answer an identical one at once).
        modifications: { 'episode.title': `${label} ${randomUUID().slice(0, 8)}` },
        aspect: '16:9',
        output: { format: 'mp4', quality: 'standard' },
      });
      if (res.status !== 202) throw new Error(`render refused: ${res.status} ${JSON.stringify(res.body)}`);
      const id = res.body.job.id as string;
      await waitFor(
        async () => {
          const [job] = await rows<{ status: string; error_message: string | null }>(
            harness,
            `select status, error_message from render_job where id = '${id}'`,
          );
          if (job?.status === 'failed') throw new Error(`render failed: ${job.error_message}`);
          return job?.status === 'completed' ? true : undefined;
        },
        600_000,
        'render',
      );
      return (performance.now() - started) / 1000;
    };

    const throughput = async (cores: number[]): Promise<{ seconds: number[]; fps: number }> => {
      for (const cpu of cores)
        nodes.push(
          await spawnNode(harness, url, { queues: ['render.queue.paid'], cpu, env: { LOG_LEVEL: 'warn' } }),
        );
      await renderOnce('warm-up');
      const seconds: number[] = [];
      for (let i = 0; i < RENDERS; i++) seconds.push(await renderOnce(`${cores.length}n-${i}`));
      await Promise.all(nodes.splice(0).map((n) => n.stop()));
      const best = Math.min(...seconds);
      return { seconds, fps: 300 / best };
    };

    process.stdout.write(
      `machine: ${os.cpus().length} cores ${os.cpus()[0]?.model ?? ''}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
    process.stdout.write('throughput: 1 node on core 0 ...\n');
    const one = RENDERS > 0 ? await throughput([0]) : { seconds: [], fps: Number.NaN };
    process.stdout.write(
      `  ${one.seconds.map((s) => s.toFixed(1)).join(', ')} s -> ${one.fps.toFixed(1)} fps\n`,
    );
    process.stdout.write('throughput: 2 nodes on cores 0 and 1 ...\n');
    const two = RENDERS > 0 ? await throughput([0, 1]) : { seconds: [], fps: Number.NaN };
    process.stdout.write(
      `  ${two.seconds.map((s) => s.toFixed(1)).join(', ')} s -> ${two.fps.toFixed(1)} fps\n`,
    );
    const speedup = two.fps / one.fps;
    process.stdout.write(`speed-up: ${speedup.toFixed(2)}x (goal >= 1.7x)\n`);

    process.stdout.write(`snapshots: ${STILLS} warm 1080p JPEG stills through the API ...\n`);
    nodes.push(
      await spawnNode(harness, url, { queues: ['render.queue.snapshot'], env: { LOG_LEVEL: 'warn' } }),
    );
    const acceptMs: number[] = [];
    const still = async (i: number): Promise<{ ms: number; nodeMs: number }> => {
      const started = performance.now();
      const res = await api.post('/v1/snapshots', {
        template_id: template.template_id,
        aspect: '16:9',
        time: (i % 50) / 5,
        format: 'jpg',
      });
      if (res.status !== 202) throw new Error(`snapshot refused: ${res.status} ${JSON.stringify(res.body)}`);
      acceptMs.push(performance.now() - started);
      for (;;) {
        const s = (await api.get(`/v1/snapshots/${res.body.id}?wait=10`)).body;
        if (s.status === 'ready') return { ms: performance.now() - started, nodeMs: s.render_ms };
        if (s.status === 'failed') throw new Error(`snapshot failed: ${JSON.stringify(s.error)}`);
      }
    };
    for (let i = 0; i < 10; i++) await still(i);
    const latencies: number[] = [];
    const nodeMs: number[] = [];
    for (let i = 0; i < STILLS; i++) {
      const r = await still(i);
      latencies.push(r.ms);
      nodeMs.push(r.nodeMs);
    }
    latencies.sort((a, b) => a - b);
    nodeMs.sort((a, b) => a - b);
    const accepted = acceptMs.slice(-STILLS).sort((a, b) => a - b);
    const snap = {
      p50: round(quantile(latencies, 0.5)),
      p95: round(quantile(latencies, 0.95)),
      p99: round(quantile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? Number.NaN),
      node_p50: round(quantile(nodeMs, 0.5)),
      accepted_p50: round(quantile(accepted, 0.5)),
    };
    process.stdout.write(
      `  end to end p50 ${snap.p50} ms, p95 ${snap.p95} ms, p99 ${snap.p99} ms, max ${snap.max} ms (202 after p50 ${snap.accepted_p50} ms; the node's own p50 ${snap.node_p50} ms); goal p50 <= 100, p95 <= 250\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        bench: 'render-farm',
        load: os.loadavg(),
        throughput: { one_node: one, two_nodes: two, speedup: round(speedup, 2) },
        snapshots: snap,
      })}\n`,
    );
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await harness.stop();
  }
}

await main();
