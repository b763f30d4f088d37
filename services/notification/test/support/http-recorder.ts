import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

export type Responder = (req: RecordedRequest) => { status: number; body?: unknown; delayMs?: number };

export interface HttpRecorder {
  /** `http://127.0.0.1:<port>` (or https). */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** How requests to a path prefix are answered (default 200 `{}`). */
  respond(prefix: string, responder: Responder): void;
  on(prefix: string): RecordedRequest[];
  waitFor(prefix: string, count?: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** A local HTTP(S) server that records every request and answers as the test says. */
export async function startHttpRecorder(tls?: { key: string; cert: string }): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const responders: [string, Responder][] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      };
      requests.push(recorded);
      const responder = [...responders].reverse().find(([prefix]) => recorded.path.startsWith(prefix))?.[1];
      const answer = responder ? responder(recorded) : { status: 200, body: {} };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  };
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const on = (prefix: string) => requests.filter((r) => r.path.startsWith(prefix));
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    respond: (prefix, responder) => {
      responders.push([prefix, responder]);
    },
    on,
    async waitFor(prefix, count = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = on(prefix);
        if (found.length >= count) return found;
        if (Date.now() > deadline)
          throw new Error(`expected ${count} request(s) to ${prefix}, got ${found.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
