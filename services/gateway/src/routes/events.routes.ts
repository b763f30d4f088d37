import {
  HttpError,
  type HttpServer,
  type Principal,
  requirePrincipal,
  unauthorized,
} from '@flatrender/platform';
import { z } from 'zod';
import type { EventStreamHub } from '../events/event-stream.hub';
import { STREAM_EVENT_KEYS } from '../events/gateway-events.consumer';
import type { StreamTickets } from '../events/stream-tickets';

export interface EventRoutesDeps {
  hub: EventStreamHub;
  tickets: StreamTickets;
  /** The deny list: a ticket made before a ban must not open a stream after it. */
  isRevoked: (principal: Principal) => boolean;
}

const ticketResponse = z.object({
  ticket: z.string().describe('Single-use secret; valid for 30 seconds'),
  expires_at: z.iso.datetime().describe('The ticket is refused after this time'),
  stream_url: z.string().describe('Path to open with EventSource'),
});

const streamQuery = z.object({
  ticket: z
    .string()
    .max(100)
    .optional()
    .describe('A ticket from POST /v1/events/ticket (browsers); API clients send Authorization instead'),
});

/** Frames that never exceed this backlog are delivered; a client further behind is disconnected. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** `/v1/events/ticket` and `/v1/events/stream`: the tenant's live events as Server-Sent Events. */
export function registerEventRoutes(app: HttpServer, deps: EventRoutesDeps): void {
  app.post(
    '/v1/events/ticket',
    {
      schema: {
        tags: ['events'],
        summary: 'A single-use ticket to open the event stream from a browser',
        response: { 201: ticketResponse },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { ticket, expiresAt } = await deps.tickets.issue(principal);
      return reply.code(201).send({
        ticket,
        expires_at: expiresAt.toISOString(),
        stream_url: `/v1/events/stream?ticket=${ticket}`,
      });
    },
  );

  app.get(
    '/v1/events/stream',
    {
      schema: {
        tags: ['events'],
        summary: "The caller's tenant's events as Server-Sent Events",
        description: `Event types: ${STREAM_EVENT_KEYS.join(', ')}. Each frame has \`id\` (event id), \`event\` (type) and \`data\` (JSON: event_id, event_type, event_time, trace_id, data). A comment line arrives every 15 s.`,
        querystring: streamQuery,
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (request, reply) => {
      let principal = request.principal;
      const { ticket } = request.query;
      if (!principal && ticket) {
        principal = await deps.tickets.redeem(ticket);
        if (!principal || deps.isRevoked(principal)) {
          throw new HttpError(
            401,
            'invalid_ticket',
            'Query parameter "ticket" is unknown, used or expired.',
            'ticket',
          );
        }
      }
      if (!principal)
        throw unauthorized('Send "Authorization: Bearer ..." or a ?ticket= from POST /v1/events/ticket.');

      const raw = reply.raw;
      const client = {
        principal,
        write: (frame: string) => {
          if (raw.destroyed || raw.writableLength > MAX_BUFFERED_BYTES) return false;
          raw.write(frame);
          return true;
        },
        close: () => raw.end(),
      };
      const remove = deps.hub.add(client);
      reply.hijack();
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 5000\n: connected\n\n');
      request.raw.once('close', remove);
      request.log.info({ tenant: principal.tenantId, streams: deps.hub.size }, 'event stream opened');
    },
  );
}
