export const dynamic = 'force-dynamic';

/** Liveness of the web server itself (used by `flatrender start` to know it is serving). */
export function GET() {
  return Response.json({ status: 'ok' });
}
