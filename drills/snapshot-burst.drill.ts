import { type Drill, Expectations, percentile, seconds, waitUntil } from './support/drill';
import { publishDrillTemplate } from './support/drill-template';
import type { DrillPlatform } from './support/platform';
import { requestSnapshot, snapshotStates } from './support/snapshots';

const BURST = 1000;

/**
 * 1,000 snapshot requests sent at once by one tenant. Figures: the latency percentiles of the requests
 * (accepted with 202 before any rendering), and the time until every snapshot is ready.
 */
export function snapshotBurstDrill(platform: () => Promise<DrillPlatform>): Drill {
  return {
    name: 'snapshot-burst',
    title: 'a burst of 1,000 snapshot requests',
    budgetSeconds: 900,
    async run({ log }) {
      const expectations = new Expectations();
      const p = await platform();
      const account = await p.account();
      const templateId = await publishDrillTemplate(p, account, `drill-burst-${Date.now()}`);
      // One still first: fonts and the template reach the nodes' caches before the clock starts.
      const warm = await requestSnapshot(p, account, templateId, BURST);
      if (warm.status !== 202)
        throw new Error(`snapshot: ${warm.status} ${JSON.stringify(warm.body).slice(0, 500)}`);
      await waitUntil(
        async () =>
          (await snapshotStates(p.deployment.databaseUrl, [warm.body.id])).get(warm.body.id) === 'ready',
        120_000,
        250,
      );

      log(`sending ${BURST} snapshot requests at once`);
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) => requestSnapshot(p, account, templateId, i)),
      );
      const acceptedAt = Date.now();
      const accepted = answers.filter((a) => a.status === 202);
      const ids = accepted.map((a) => a.body.id);
      const statuses = new Map<number, number>();
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      const latencies = answers.map((a) => a.ms);

      let states = new Map<string, string>();
      const drained = await waitUntil(
        async () => {
          states = await snapshotStates(p.deployment.databaseUrl, ids);
          return [...states.values()].every((s) => s === 'ready' || s === 'failed');
        },
        600_000,
        500,
      );
      const drainMs = Date.now() - started;
      const ready = [...states.values()].filter((s) => s === 'ready').length;
      const failed = [...states.values()].filter((s) => s === 'failed').length;

      expectations.expect(
        accepted.length === BURST,
        `accepted ${accepted.length} of ${BURST} (${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')})`,
      );
      expectations.expect(drained, 'not every snapshot ended within 10 minutes');
      expectations.expect(
        ready === accepted.length,
        `${ready} ready, ${failed} failed of ${accepted.length}`,
      );
      const ms = (v: number) => `${Math.round(v)} ms`;
      return expectations.result(
        `${accepted.length}/${BURST} accepted (202) in ${seconds(acceptedAt - started)}; request latency p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(Math.max(...latencies))}; ` +
          `all ${ready} ready ${seconds(drainMs)} after the first request (${(ready / (drainMs / 1000)).toFixed(1)} stills/s on ${p.deployment.processes.filter((x) => x.name.startsWith('node') && x.alive()).length} nodes)`,
      );
    },
  };
}
