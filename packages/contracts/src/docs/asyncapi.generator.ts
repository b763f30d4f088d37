// Writes docs/asyncapi.yaml (AsyncAPI 3.0) from the catalog: one channel per routing key with its
// AMQP bindings, one message per key (headers + envelope with that key's data), and one send
// operation per producer and one receive operation per consumer.
import { stringify } from 'yaml';
import { type MessageDefinition, SERVICES } from '../catalog';
import { NAMED_SCHEMAS } from '../common.schemas';
import { envelopeSchema } from '../envelope';
import { CONTENT_ENCODING, CONTENT_TYPE, HEADER, HEADER_SPECS } from '../headers';
import { bindingsFor, CATALOG, DISPATCH_KEYS, EVENT_KEYS, type MessageKey } from '../index';
import { SAMPLE_DATA, sampleId } from '../testing/sample-messages';
import {
  DEFAULT_MAX_RETRIES,
  DLQ_QUEUE,
  EXCHANGES,
  RENDER_QUEUE_ARGUMENTS,
  RENDER_QUEUES,
  serviceEventsQueue,
} from '../topology';
import { type JsonSchema, toJsonSchema } from './json-schema';

export const ASYNCAPI_PATH = 'docs/asyncapi.yaml';

const BINDING_VERSION = '0.3.0';
const EXAMPLE_TIME = '2026-05-27T10:15:00.000Z';

const exchangeOf = (def: MessageDefinition) => {
  const exchange = Object.values(EXCHANGES).find((e) => e.name === def.exchange);
  if (!exchange) throw new Error(`unknown exchange ${def.exchange}`);
  return exchange;
};

function channelBinding(key: MessageKey): Record<string, unknown> {
  const def = CATALOG[key];
  const exchange = exchangeOf(def);
  const binding: Record<string, unknown> = {
    is: 'routingKey',
    exchange: { name: exchange.name, type: exchange.type, durable: true, autoDelete: false, vhost: '/' },
    bindingVersion: BINDING_VERSION,
  };
  if (def.kind === 'event') {
    binding['x-bound-queues'] = SERVICES.filter((s) => (bindingsFor(s) as string[]).includes(key)).map((s) =>
      s === 'render-node'
        ? 'render-node: one private queue per node (exclusive, auto-delete)'
        : serviceEventsQueue(s),
    );
  } else {
    const isRender = (RENDER_QUEUES as readonly string[]).includes(key);
    binding['x-queue'] = {
      name: key,
      durable: true,
      exclusive: false,
      autoDelete: false,
      arguments: isRender ? { ...RENDER_QUEUE_ARGUMENTS } : {},
    };
  }
  return binding;
}

function headersSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(
      HEADER_SPECS.map((h) => [h.name, { type: h.type, description: h.notes.replace(/`/g, '') }]),
    ),
    required: HEADER_SPECS.filter((h) => h.required).map((h) => h.name),
  };
}

/** The shared envelope narrowed to one key: its `event_type`, its producers and its `data`. */
function payloadSchema(key: MessageKey): Record<string, unknown> {
  const def = CATALOG[key];
  return {
    allOf: [
      { $ref: '#/components/schemas/Envelope' },
      {
        type: 'object',
        properties: {
          event_type: { const: key },
          producer: { enum: [...def.producers] },
          data: referenceNamedSchemas(toJsonSchema(def.data)),
        },
        required: ['event_type', 'producer', 'data'],
      },
    ],
  };
}

const NAMED_TITLES = new Set(Object.keys(NAMED_SCHEMAS));

/** Replaces every use of a named schema by a reference to its single definition in `components.schemas`. */
function referenceNamedSchemas(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(referenceNamedSchemas);
  if (typeof node !== 'object' || node === null) return node;
  const schema = node as JsonSchema;
  if (typeof schema.title === 'string' && NAMED_TITLES.has(schema.title)) {
    const named = NAMED_SCHEMAS[schema.title as keyof typeof NAMED_SCHEMAS];
    const own = schema.description !== undefined && schema.description !== named.description;
    return {
      $ref: `#/components/schemas/${schema.title}`,
      ...(own ? { description: schema.description } : {}),
    };
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, referenceNamedSchemas(v)]));
}

function example(key: MessageKey, n: number): Record<string, unknown> {
  const def = CATALOG[key];
  const platformWide = def.domain === 'node';
  const tenant = platformWide ? '00000000-0000-0000-0000-000000000000' : sampleId(1);
  const traceId = sampleId(0x1000 + n);
  return {
    name: 'sample',
    headers: {
      [HEADER.contentType]: CONTENT_TYPE,
      [HEADER.contentEncoding]: CONTENT_ENCODING,
      [HEADER.eventType]: key,
      [HEADER.tenantId]: tenant,
      [HEADER.traceId]: traceId,
    },
    payload: {
      event_id: sampleId(0x2000 + n),
      event_type: key,
      event_time: EXAMPLE_TIME,
      tenant_id: tenant,
      user_id: platformWide ? '00000000-0000-0000-0000-000000000000' : sampleId(2),
      trace_id: traceId,
      correlation_id: sampleId(0x3000 + n),
      producer: def.producers[0],
      data: SAMPLE_DATA[key],
    },
  };
}

export function buildAsyncApiDocument(): Record<string, unknown> {
  const keys = [...EVENT_KEYS, ...DISPATCH_KEYS] as MessageKey[];
  const channels: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};

  keys.forEach((key, n) => {
    const def = CATALOG[key];
    const channelRef = { $ref: `#/channels/${key}` };
    const messageRef = { $ref: `#/channels/${key}/messages/${key}` };
    channels[key] = {
      address: key,
      title: key,
      description: def.description,
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
      bindings: { amqp: channelBinding(key) },
    };
    messages[key] = {
      name: key,
      title: key,
      summary: def.description,
      contentType: CONTENT_TYPE,
      headers: { $ref: '#/components/schemas/AmqpHeaders' },
      payload: payloadSchema(key),
      bindings: {
        amqp: { contentEncoding: CONTENT_ENCODING, messageType: key, bindingVersion: BINDING_VERSION },
      },
      examples: [example(key, n)],
    };
    for (const producer of def.producers) {
      operations[`${producer}.sends.${key}`] = {
        action: 'send',
        channel: channelRef,
        messages: [messageRef],
        summary: `${producer} publishes ${key}`,
        bindings: { amqp: { deliveryMode: 2, mandatory: true, bindingVersion: BINDING_VERSION } },
      };
    }
    for (const consumer of def.consumers) {
      operations[`${consumer}.receives.${key}`] = {
        action: 'receive',
        channel: channelRef,
        messages: [messageRef],
        summary: `${consumer} consumes ${key}`,
        bindings: { amqp: { ack: true, bindingVersion: BINDING_VERSION } },
      };
    }
  });

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'FlatRender event catalog',
      version: '1.0.0',
      description: [
        'Every asynchronous message between FlatRender services. Generated from `packages/contracts`',
        'by `npm run generate:contracts`; do not edit.',
        '',
        `Messages that fail validation or handling are retried with \`${HEADER.retryCount}\` incremented; after`,
        `\`${HEADER.maxRetries}\` (default ${DEFAULT_MAX_RETRIES}) they are republished to the \`${EXCHANGES.dlq.name}\``,
        `fanout exchange (queue \`${DLQ_QUEUE}\`) with their routing key in \`${HEADER.originalRoutingKey}\`.`,
        'Render queue messages carry their priority (0-10, higher first) in the AMQP `priority` property.',
      ].join('\n'),
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    servers: {
      rabbitmq: {
        host: 'localhost:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description: 'The RabbitMQ broker of a distributed deployment (`AMQP_URL`).',
      },
    },
    defaultContentType: CONTENT_TYPE,
    channels,
    operations,
    components: {
      schemas: {
        AmqpHeaders: headersSchema(),
        Envelope: toJsonSchema(envelopeSchema),
        ...Object.fromEntries(
          Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [name, toJsonSchema(schema)]),
        ),
      },
      messages,
    },
  };
}

export function renderAsyncApiYaml(): string {
  return stringify(buildAsyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
}
