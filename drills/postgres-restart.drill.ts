import pg from 'pg';
import { type Drill, Expectations, seconds, sleep, waitUntil } from './support/drill';
import { publishDrillTemplate } from './support/drill-template';
import type { DrillPlatform } from './support/platform';
import { requestSnapshot, snapshotStates } from './support/snapshots';

/**
 * PostgreSQL restarts (`pg_ctlcluster ... restart`) while clients read projects and templates through
 * the gateway. Expected: requests fail only while the server is down, every service answers again
 * without being restarted (same processes), and the write path works after it: a registration's event
 * reaches the notification service through the outbox, and a snapshot is rendered.
 */
export function postgresRestartDrill(platform: () => Promise<DrillPlatform>): Drill {
  return {
    name: 'postgres-restart',
    title: 'PostgreSQL restart under traffic',
    budgetSeconds: 300,
    async run({ servers, log }) {
      const expectations = new Expectations();
      const p = await platform();
      const account = await p.account();
      const templateId = await publishDrillTemplate(p, account, `drill-pg-${Date.now()}`);
      const pids = new Map(p.deployment.processes.filter((x) => x.alive()).map((x) => [x.name, x.child.pid]));

      const samples: { at: number; ok: boolean; status: number }[] = [];
      let running = true;
      const traffic = (async () => {
        const paths = ['/v1/projects', '/v1/templates', '/v1/me', '/v1/files'];
        let i = 0;
        while (running) {
          const path = paths[i++ % paths.length] as string;
          try {
            const a = await p.api('GET', path, undefined, account.token);
            samples.push({ at: Date.now(), ok: a.status === 200, status: a.status });
          } catch {
            samples.push({ at: Date.now(), ok: false, status: 0 });
          }
          await sleep(50);
        }
      })();

      await sleep(3_000);
      log('pg_ctlcluster restart');
      const restartAt = Date.now();
      await servers.restartPostgres();
      const upAt = Date.now();
      // Every service answers again: the next few requests all succeed.
      const recovered = await waitUntil(
        () => {
          const after = samples.filter((s) => s.at > upAt);
          return after.length >= 8 && after.slice(-8).every((s) => s.ok);
        },
        60_000,
        100,
      );
      await sleep(2_000);
      running = false;
      await traffic;

      const failures = samples.filter((s) => !s.ok);
      const lastFailure = failures.length ? Math.max(...failures.map((s) => s.at)) : restartAt;
      const statuses = new Map<number, number>();
      for (const f of failures) statuses.set(f.status, (statuses.get(f.status) ?? 0) + 1);

      // The write path after the restart: an event through identity's outbox to notification's inbox,
      // and a snapshot through render, RabbitMQ and a node.
      const client = new pg.Client({ connectionString: p.deployment.databaseUrl });
      await client.connect();
      const inbox = async () =>
        Number(
          (
            await client.query<{ n: string }>(
              "SELECT count(*) AS n FROM notification.inbox WHERE event_type = 'identity.user.registered.v1'",
            )
          ).rows[0]?.n ?? 0,
        );
      const before = await inbox();
      await p.account();
      const eventFlowed = await waitUntil(async () => (await inbox()) > before, 30_000, 200);
      await client.end();
      const snapshotStart = Date.now();
      const snapshot = await requestSnapshot(p, account, templateId, 9999);
      const rendered =
        snapshot.status === 202 &&
        (await waitUntil(
          async () =>
            (await snapshotStates(p.deployment.databaseUrl, [snapshot.body.id])).get(snapshot.body.id) ===
            'ready',
          120_000,
          250,
        ));
      const snapshotMs = Date.now() - snapshotStart;
      const restarted = p.deployment.processes.filter(
        (x) => pids.has(x.name) && (!x.alive() || x.child.pid !== pids.get(x.name)),
      );

      expectations.expect(recovered, 'requests did not succeed again within 60 s of the restart');
      expectations.expect(
        restarted.length === 0,
        `processes died or were replaced: ${restarted.map((x) => x.name).join(', ')}`,
      );
      expectations.expect(eventFlowed, 'an event written after the restart did not reach its consumer');
      expectations.expect(rendered, `a snapshot after the restart was not rendered (${snapshot.status})`);
      const shown = [...statuses].map(([s, n]) => `${s === 0 ? 'no answer' : s}×${n}`).join(' ');
      return expectations.result(
        `restart took ${seconds(upAt - restartAt)}; ${failures.length} of ${samples.length} requests failed (${shown || 'none'}), the last ${seconds(Math.max(0, lastFailure - upAt))} after the server was back; ` +
          `same ${pids.size} processes, none restarted; event after restart consumed: ${eventFlowed ? 'yes' : 'no'}; snapshot after restart ready in ${seconds(snapshotMs)}`,
      );
    },
  };
}
