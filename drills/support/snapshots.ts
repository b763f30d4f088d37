import pg from 'pg';
import type { Account, DrillPlatform } from './platform';

/** Snapshot states read from the orchestrator's table (forced RLS: read in the system scope). */
export async function snapshotStates(
  databaseUrl: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT set_config('app.scope', 'system', false)");
    const { rows } = await client.query<{ id: string; status: string }>(
      'SELECT id, status FROM render.snapshot WHERE id = ANY($1)',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.status]));
  } finally {
    await client.end();
  }
}

/** Requests a still of the drill template; `n` makes it unique (no cache hit). */
export function requestSnapshot(platform: DrillPlatform, account: Account, templateId: string, n: number) {
  return platform.api<{ id: string; status: string }>(
    'POST',
    '/v1/snapshots',
    {
      template_id: templateId,
      modifications: { 'intro.title': `Snapshot ${n}` },
      time: (n % 40) / 10,
      format: 'jpg',
    },
    account.token,
  );
}
