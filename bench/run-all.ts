/**
 * `npm run bench`: runs every benchmark (bench/<area>/*.bench.ts) one after another, each in its
 * own process so one cannot skew another's memory or timing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(root)
  .map((entry) => join(root, entry))
  .filter((path) => statSync(path).isDirectory())
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => join(dir, f)),
  )
  .sort();

let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n=== ${relative(root, bench)}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
