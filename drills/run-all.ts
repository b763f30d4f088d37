/**
 * `npm run drill`: the fault drills, one after another, against real PostgreSQL and RabbitMQ servers
 * started for the run (drills/support/drill-servers.ts) and real FlatRender processes. Each drill is
 * bounded in time; the run prints a table and exits non-zero when a drill failed.
 *
 *   npm run drill                         every drill
 *   npm run drill -- --only poison,fuzz   drills whose name contains one of these
 *   npm run drill -- --update-docs        also writes the table into docs/operations.md
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzDrill } from './fuzz.drill';
import { poisonMessageDrill } from './poison-message.drill';
import { postgresRestartDrill } from './postgres-restart.drill';
import { rabbitmqRestartDrill } from './rabbitmq-restart.drill';
import { renderNodeKillDrill } from './render-node-kill.drill';
import { snapshotBurstDrill } from './snapshot-burst.drill';
import type { Drill, DrillResult } from './support/drill';
import { type DrillServers, startDrillServers } from './support/drill-servers';
import { type DrillPlatform, startPlatform } from './support/platform';

// The platform drills share one distributed deployment, started on first use.
let platformStarted: Promise<DrillPlatform> | undefined;
let servers: DrillServers | undefined;
const platform = () => {
  platformStarted ??= startPlatform(servers as DrillServers, log);
  return platformStarted;
};

// The restarts come last: a platform that did not recover cannot spoil the other drills.
const DRILLS: Drill[] = [
  poisonMessageDrill(platform),
  fuzzDrill(platform),
  snapshotBurstDrill(platform),
  renderNodeKillDrill(platform),
  postgresRestartDrill(platform),
  rabbitmqRestartDrill,
];

const ROOT = path.resolve(import.meta.dirname, '..');
const OPERATIONS_DOC = path.join(ROOT, 'docs', 'operations.md');
const START = '<!-- drill-results:start -->';
const END = '<!-- drill-results:end -->';

const { values } = parseArgs({
  options: { only: { type: 'string' }, 'update-docs': { type: 'boolean' } },
  strict: true,
});

const log = (line: string) => process.stdout.write(`  ${line}\n`);

async function runDrill(drill: Drill, servers: DrillServers): Promise<DrillResult & { ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      drill.run({ servers, log }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`over its budget of ${drill.budgetSeconds} s`)),
          drill.budgetSeconds * 1000,
        );
      }),
    ]);
    return { ...result, ms: Date.now() - started };
  } catch (error) {
    return {
      ok: false,
      figures: 'did not complete',
      notes: [error instanceof Error ? error.message : String(error)],
      ms: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

function table(rows: { drill: Drill; result: DrillResult & { ms: number } }[]): string {
  const lines = ['| drill | result | figures | time |', '|---|---|---|---|'];
  for (const { drill, result } of rows)
    lines.push(
      `| ${drill.title} | ${result.ok ? 'pass' : '**FAIL**'} | ${result.figures.replaceAll('|', '\\|')} | ${(result.ms / 1000).toFixed(0)} s |`,
    );
  return lines.join('\n');
}

const wanted = values.only
  ?.split(',')
  .map((w) => w.trim())
  .filter(Boolean);
const selected = DRILLS.filter((d) => !wanted || wanted.some((w) => d.name.includes(w)));
if (selected.length === 0) {
  process.stderr.write(
    `no drill matches "${values.only}" (drills: ${DRILLS.map((d) => d.name).join(', ')})\n`,
  );
  process.exit(2);
}

const loadAtStart = os.loadavg()[0]?.toFixed(1);
process.stdout.write('Starting the drill servers (a PostgreSQL cluster and a RabbitMQ node of their own)\n');
servers = await startDrillServers(log);
let tornDown = false;
const teardown = async () => {
  if (tornDown) return;
  tornDown = true;
  if (platformStarted) await (await platformStarted.catch(() => undefined))?.teardown();
  await servers?.teardown();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void teardown().finally(() => process.exit(130));
  });

const rows: { drill: Drill; result: DrillResult & { ms: number } }[] = [];
try {
  for (const drill of selected) {
    process.stdout.write(`\n=== ${drill.name}: ${drill.title}\n`);
    const result = await runDrill(drill, servers);
    for (const note of result.notes) log(note);
    process.stdout.write(`  ${result.ok ? 'pass' : 'FAIL'}: ${result.figures}\n`);
    rows.push({ drill, result });
  }
} finally {
  await teardown();
}

const output = table(rows);
process.stdout.write(`\n${output}\n`);
if (values['update-docs']) {
  const doc = await readFile(OPERATIONS_DOC, 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/operations.md has no ${START} … ${END} section`);
  const stamp =
    `Run on ${new Date().toISOString().slice(0, 10)} (\`npm run drill\`): ${os.cpus().length} cores, ` +
    `${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.versions.node}, 1-minute load average ${loadAtStart} at the start.`;
  await writeFile(
    OPERATIONS_DOC,
    `${doc.slice(0, from + START.length)}\n${stamp}\n\n${output}\n${doc.slice(to)}`,
  );
  process.stdout.write('docs/operations.md updated\n');
}
process.exitCode = rows.every((r) => r.result.ok) ? 0 : 1;
