/**
 * Where the web server reaches the gateway (server side only; browsers use the same-origin proxy
 * `/api/gw`). `flatrender start` passes GATEWAY_URL to the web process.
 */
export function gatewayUrl(): string {
  return (process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
}

/** Request headers the gateway may use to know the real client (rate limits, logs). */
export function forwardedHeaders(incoming: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  const forwardedFor = incoming.get('x-forwarded-for');
  if (forwardedFor) out['x-forwarded-for'] = forwardedFor;
  const proto = incoming.get('x-forwarded-proto');
  if (proto) out['x-forwarded-proto'] = proto;
  const requestId = incoming.get('x-request-id');
  if (requestId) out['x-request-id'] = requestId;
  const language = incoming.get('accept-language');
  if (language) out['accept-language'] = language;
  return out;
}
