import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import { checkAddress, checkUrl } from '../domain/address-policy';
import type { WebhookErrorCode } from '../domain/webhook-retry';

export interface OutboundPolicy {
  allowPrivate: boolean;
  allowedPorts: readonly number[] | 'any';
  timeoutMs: number;
  /** Extra trusted certificate authorities (PEM), next to the system ones. */
  extraCa?: string;
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

/** A URL that passed every check, with the address the connection must go to. */
export interface ResolvedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class BlockedTargetError extends Error {
  readonly code = 'blocked_address';
}

export interface OutboundResponse {
  statusCode: number;
  durationMs: number;
  /** The start of the body, for providers whose answer matters (push services); bounded. */
  body: string;
}

export class OutboundError extends Error {
  constructor(
    readonly errorCode: Extract<
      WebhookErrorCode,
      'timeout' | 'connection_failed' | 'tls_error' | 'blocked_address'
    >,
    message: string,
    readonly durationMs: number,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 16 * 1024;
const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * POSTs to URLs that users chose (tenant webhooks, browsers' push endpoints) without letting them
 * reach inside the platform's network (SSRF): the URL is checked, its host resolved, every address
 * checked, and the connection is then made to exactly the address that was checked (the socket's DNS
 * lookup is answered with it), so a name that resolves differently a moment later (DNS rebinding)
 * cannot redirect it. Redirects are never followed. TLS still verifies the certificate for the name.
 */
export class OutboundHttp {
  private readonly ca: string[] | undefined;

  constructor(
    private readonly policy: OutboundPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.ca = policy.extraCa ? [...rootCertificates, policy.extraCa] : undefined;
  }

  /** Checks a URL and resolves it; throws `BlockedTargetError` with a reason a person understands. */
  async target(text: string): Promise<ResolvedTarget> {
    const shape = checkUrl(text, this.policy);
    if (!shape.allowed) throw new BlockedTargetError(shape.reason);
    if (shape.ipLiteral) {
      return { url: shape.url, address: shape.host, family: shape.host.includes(':') ? 6 : 4 };
    }
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolve(shape.host);
    } catch (error) {
      throw new BlockedTargetError(`host "${shape.host}" does not resolve (${(error as Error).message})`);
    }
    if (addresses.length === 0) throw new BlockedTargetError(`host "${shape.host}" has no address`);
    // Every address must be acceptable: a name mixing public and private answers is refused whole.
    for (const { address } of addresses) {
      const verdict = checkAddress(address, this.policy.allowPrivate);
      if (!verdict.allowed)
        throw new BlockedTargetError(`host "${shape.host}" resolves to ${verdict.reason}`);
    }
    const first = addresses[0]!;
    return { url: shape.url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  /** POSTs `body` to `url` pinned to its checked address. Non-2xx answers are returned, not thrown. */
  async post(
    url: string,
    headers: Record<string, string>,
    body: string | Buffer,
    timeoutMs = this.policy.timeoutMs,
  ): Promise<OutboundResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let target: ResolvedTarget;
    try {
      target = await this.target(url);
    } catch (error) {
      if (error instanceof BlockedTargetError)
        throw new OutboundError('blocked_address', error.message, elapsed());
      throw error;
    }
    const { address, family } = target;
    const agent = new Agent({
      connect: {
        // Node asks with `all: true` when it races address families (autoSelectFamily).
        lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
          if (options?.all) callback(null, [{ address, family }]);
          else callback(null, address, family);
        }) as never,
        timeout: timeoutMs,
        ...(this.ca ? { ca: this.ca } : {}),
      },
      keepAliveTimeout: 1,
      pipelining: 0,
    });
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await request(target.url, {
        method: 'POST',
        headers,
        body,
        dispatcher: agent,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const durationMs = elapsed();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        if (size < MAX_BODY_BYTES) chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= MAX_BODY_BYTES) {
          response.body.destroy();
          break;
        }
      }
      return {
        statusCode: response.statusCode,
        durationMs,
        body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
      };
    } catch (error) {
      throw classify(error, elapsed());
    } finally {
      agent.destroy().catch(() => undefined);
    }
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

function classify(error: unknown, durationMs: number): OutboundError {
  const err = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.message ?? String(error);
  if (
    err.name === 'TimeoutError' ||
    err.name === 'AbortError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_ABORTED'
  ) {
    return new OutboundError('timeout', 'the endpoint did not answer in time', durationMs);
  }
  if (TLS_CODES.test(code)) return new OutboundError('tls_error', `TLS: ${code} ${message}`, durationMs);
  return new OutboundError('connection_failed', `${code || 'error'}: ${message}`, durationMs);
}
