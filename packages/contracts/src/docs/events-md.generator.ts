// Writes docs/events.md from the catalog. Everything in it comes from the contracts package, so the
// document cannot disagree with what publishers and consumers validate.
import { SERVICES } from '../catalog';
import { NAMED_SCHEMAS } from '../common.schemas';
import { envelopeSchema } from '../envelope';
import {
  CONTENT_ENCODING,
  CONTENT_TYPE,
  HEADER,
  HEADER_SPECS,
  PLATFORM_TENANT_ID,
  SYSTEM_USER_ID,
} from '../headers';
import { bindingsFor, CATALOG, DISPATCH_KEYS, EVENT_KEYS, type MessageKey } from '../index';
import { SAMPLE_DATA } from '../testing/sample-messages';
import {
  DEFAULT_MAX_RETRIES,
  DLQ_QUEUE,
  EXCHANGES,
  NOTIFY_CHANNELS,
  RENDER_QUEUE_ARGUMENTS,
  RENDER_QUEUES,
  serviceEventsQueue,
} from '../topology';
import { type FieldRow, fieldTables, toJsonSchema, typeText } from './json-schema';

export const EVENTS_MD_PATH = 'docs/events.md';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;
const list = (items: readonly string[]): string => (items.length ? items.map(code).join(', ') : '(none)');

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function fieldTable(rows: FieldRow[]): string[] {
  return table(
    ['Field', 'Type', 'Required', 'Description'],
    rows.map((r) => [code(r.path), r.type, r.required ? 'yes' : 'no', r.description]),
  );
}

const anchor = (key: string): string => key.replace(/[^a-z0-9_-]/g, '');

export function renderEventsMarkdown(): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);

  push(
    '# FlatRender event catalog',
    '',
    '> Generated from `packages/contracts` by `npm run generate:contracts`; do not edit. A test fails when',
    '> this file and the contracts disagree.',
    '',
    'All asynchronous communication between services goes through RabbitMQ (or the in-process bus, which',
    'keeps the same semantics). Event keys follow `{domain}.{entity}.{verb}.v{n}`, past tense: the domain',
    'is the first segment. Dispatch keys (`render.queue.vip`, `notify.channel.email`) carry work and name',
    'the queue they land in. Publishers and consumers both validate every message against the schemas below.',
    '',
    '## Exchanges',
    '',
    ...table(
      ['Exchange', 'Type', 'Durable', 'Purpose'],
      Object.values(EXCHANGES).map((e) => [code(e.name), e.type, 'yes', e.purpose]),
    ),
    '',
    '## Queues',
    '',
    'Every queue is durable and classic (quorum queues ignore priorities), and every message persistent.',
    '',
    ...table(['Queue', 'Exchange', 'Bound to', 'Arguments', 'Consumer'], queueRows()),
    '',
    '## Envelope',
    '',
    'Every message body is a JSON object with this shape; `data` depends on the routing key.',
    '',
    ...fieldTable(fieldTables(toJsonSchema(envelopeSchema))[0]?.rows ?? []),
    '',
    `- \`tenant_id\` is the tenant the message belongs to; platform-wide messages (\`node.*\`) carry \`${PLATFORM_TENANT_ID}\`.`,
    `- \`user_id\` is the actor; messages caused by no user carry \`${SYSTEM_USER_ID}\`. The subject of an event`,
    '  (the banned user, the new tenant) is in `data`.',
    '- `producer` names one of the producers listed for the key.',
    '',
    '## Headers (AMQP)',
    '',
    ...table(
      ['Header', 'Required', 'Type', 'Notes'],
      HEADER_SPECS.map((h) => [code(h.name), h.required ? 'yes' : 'no', h.type, h.notes]),
    ),
    '',
    `Message properties: \`content_type\` \`${CONTENT_TYPE}\`, \`content_encoding\` \`${CONTENT_ENCODING}\`,`,
    '`delivery_mode` 2 (persistent), `message_id` = `event_id`; on render queues `priority` 0-10 (higher first).',
    '',
    '## Delivery, retries and dead letters',
    '',
    '- At least once: publishers wait for broker confirms, consumers ack after the work is done. Consumers',
    '  are idempotent (inbox keyed by `event_id`); state changes and the events announcing them are written',
    '  in one transaction (outbox).',
    `- A message that fails validation or whose handler fails is republished with \`${HEADER.retryCount}\``,
    '  incremented (with backoff) and the original acked.',
    `- Once \`${HEADER.retryCount}\` reaches \`${HEADER.maxRetries}\` (default ${DEFAULT_MAX_RETRIES}), the message is`,
    `  republished to \`${EXCHANGES.dlq.name}\` with its routing key in \`${HEADER.originalRoutingKey}\`, then acked.`,
    '- Render work: prefetch 1 per slot. A chunk is leased; `node.heartbeat.v1` extends leases whose fencing',
    '  token still matches; the reaper re-queues expired leases with a new attempt and token.',
    '',
    '## Compatibility',
    '',
    '- `data` objects are strict: unknown fields are refused. A key never changes meaning; an incompatible',
    '  change is a new key (`.v2`) published beside the old one until every consumer moved.',
    '- Adding an optional field to an existing version requires every consumer of the key to be deployed',
    '  first (they would refuse it otherwise).',
    '- Exchange, queue and key names are contracts with deployed services and dashboards: never renamed.',
    '',
    '## Named types',
    '',
    ...table(
      ['Name', 'Type', 'Description'],
      Object.entries(NAMED_SCHEMAS).map(([name, schema]) => {
        const json = toJsonSchema(schema);
        return [code(name), typeText(json, true), json.description ?? ''];
      }),
    ),
    '',
    '## Messages',
    '',
    ...table(
      ['Key', 'Exchange', 'Producers', 'Consumers'],
      [...EVENT_KEYS, ...DISPATCH_KEYS].map((key) => {
        const def = CATALOG[key];
        return [
          `[${code(key)}](#${anchor(key)})`,
          code(def.exchange),
          list(def.producers),
          list(def.consumers),
        ];
      }),
    ),
  );

  for (const key of [...EVENT_KEYS, ...DISPATCH_KEYS]) push('', ...messageSection(key));
  return `${out.join('\n')}\n`;
}

function messageSection(key: MessageKey): string[] {
  const def = CATALOG[key];
  const lines = [
    `### ${key}`,
    '',
    def.description,
    '',
    `- Exchange: ${code(def.exchange)}, routing key ${code(key)}`,
    `- Producers: ${list(def.producers)}`,
    `- Consumers: ${list(def.consumers)}`,
    '',
  ];
  for (const t of fieldTables(toJsonSchema(def.data))) {
    if (t.variant) lines.push(`When ${code(t.variant)}:`, '');
    lines.push(...fieldTable(t.rows), '');
  }
  lines.push('Example `data`:', '', '```json', JSON.stringify(SAMPLE_DATA[key], null, 2), '```');
  return lines;
}

function queueRows(): string[][] {
  const rows: string[][] = [];
  for (const service of SERVICES) {
    const keys = bindingsFor(service);
    if (keys.length === 0) continue;
    const queue =
      service === 'render-node'
        ? 'one private queue per node (exclusive, auto-delete)'
        : code(serviceEventsQueue(service));
    rows.push([queue, code(EXCHANGES.events.name), list(keys), '', service]);
  }
  const priority = Object.entries(RENDER_QUEUE_ARGUMENTS)
    .map(([k, v]) => `${code(k)}: ${v}`)
    .join(', ');
  for (const q of RENDER_QUEUES) {
    rows.push([code(q), code(EXCHANGES.render.name), code(q), priority, CATALOG[q].consumers.join(', ')]);
  }
  for (const q of NOTIFY_CHANNELS) {
    rows.push([code(q), code(EXCHANGES.notify.name), code(q), '', CATALOG[q].consumers.join(', ')]);
  }
  rows.push([code(DLQ_QUEUE), code(EXCHANGES.dlq.name), '(fanout)', '', 'operators (inspection, replay)']);
  return rows;
}
