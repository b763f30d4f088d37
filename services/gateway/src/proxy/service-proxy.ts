import httpProxy from '@fastify/http-proxy';
import { ROUTE_OWNERS, type RouteOwnerService } from '@flatrender/contracts';
import { currentTrace, type HttpServer, type PlatformConfig } from '@flatrender/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Prefixes whose JSON bodies the gateway parses before forwarding (1 MiB limit), so the credential
 * rate limit can count per email. Everything else streams through untouched (uploads!).
 */
const PARSED_PREFIXES = new Set(['/v1/auth']);

/** Headers only platform processes may set; an outside request carrying them has them removed. */
export const INTERNAL_HEADER_PREFIX = 'x-flatrender-';

/** The services that own some public prefix and do not run in this process. */
export function remoteOwners(local: readonly string[]): RouteOwnerService[] {
  return [...new Set(ROUTE_OWNERS.map((o) => o.service))].filter((s) => !local.includes(s));
}

/**
 * Distributed mode: every public prefix a service owns is proxied to `<SERVICE>_URL`, keeping the path
 * and query, streaming bodies both ways (uploads, downloads, SSE). The request goes out with the
 * verified access token (an API key's exchanged token, never the key), its request and trace ids, and
 * the client address; `x-flatrender-*` headers from outside never pass.
 */
export async function registerServiceProxies(
  app: HttpServer,
  options: { config: PlatformConfig; local: readonly string[] },
): Promise<RouteOwnerService[]> {
  const remote = remoteOwners(options.local);
  for (const service of remote) {
    const upstream = options.config[`${service}Url`];
    const prefixes = ROUTE_OWNERS.filter((o) => o.service === service).map((o) => o.prefix);
    const groups = [
      { parsed: false, prefixes: prefixes.filter((p) => !PARSED_PREFIXES.has(p)) },
      { parsed: true, prefixes: prefixes.filter((p) => PARSED_PREFIXES.has(p)) },
    ];
    for (const group of groups) {
      if (group.prefixes.length === 0) continue;
      await app.register(httpProxy, {
        upstream,
        prefix: '',
        rewritePrefix: '',
        routes: group.prefixes.flatMap((p) => [p, `${p}/*`]),
        config: { openapi: false },
        // A preValidation hook makes the proxy keep Fastify's own body parsers instead of raw streams.
        ...(group.parsed ? { preValidation: async () => undefined } : {}),
        undici: { connections: 128, headersTimeout: 60_000, bodyTimeout: 5 * 60_000 },
        replyOptions: {
          rewriteRequestHeaders: (request, headers) => forwardedHeaders(request as FastifyRequest, headers),
          onError: (reply, { error }) => upstreamFailed(reply as FastifyReply, service, error),
        },
      });
    }
  }
  return remote;
}

function forwardedHeaders<H extends Record<string, unknown>>(request: FastifyRequest, headers: H): H {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(INTERNAL_HEADER_PREFIX)) out[name] = value;
  }
  if (request.accessToken) out.authorization = `Bearer ${request.accessToken}`;
  out['x-request-id'] = request.id;
  const trace = currentTrace();
  if (trace) out['x-trace-id'] = trace.traceId;
  // The client address as the gateway established it (GATEWAY_TRUST_PROXY), never as a client claims.
  out['x-forwarded-for'] = request.ip;
  out['x-forwarded-proto'] = request.protocol;
  out['x-forwarded-host'] = request.host;
  return out as H;
}

function upstreamFailed(reply: FastifyReply, service: string, error: Error): void {
  reply.log.error({ err: error, service }, 'upstream service failed');
  if (reply.sent) return;
  const timeout =
    /timeout/i.test(error.message) || (error as { code?: string }).code === 'UND_ERR_HEADERS_TIMEOUT';
  reply
    .code(timeout ? 504 : 503)
    .header('retry-after', '5')
    .send({
      error: {
        code: timeout ? 'upstream_timeout' : 'service_unavailable',
        message: `The ${service} service is ${timeout ? 'not answering in time' : 'unavailable'}; retry shortly.`,
      },
    });
}
