// The image's HEALTHCHECK: GET the role's health URL and exit 0 on a 2xx answer. The URL is
// FLATRENDER_HEALTH_URL when set (the web app: http://127.0.0.1:3000/api/health; a render node:
// its NODE_METRICS_PORT), else /healthz of the HTTP server on PORT. Plain Node: no shell tools needed.
const url =
  process.argv[2] ??
  process.env.FLATRENDER_HEALTH_URL ??
  `http://127.0.0.1:${process.env.PORT ?? '8080'}/healthz`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (!response.ok) {
    console.error(`${url} answered ${response.status}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
