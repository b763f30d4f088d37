// The RabbitMQ topology of the event catalog (shared/seed). These names are a contract with every
// deployed service and with operators' dashboards: never rename one without a new catalog version.

export const EXCHANGES = {
  events: { name: 'flatrender.events', type: 'topic', purpose: 'Domain events (fan-out by routing)' },
  render: { name: 'flatrender.render', type: 'direct', purpose: 'Render job dispatch (per queue)' },
  notify: { name: 'flatrender.notify', type: 'direct', purpose: 'Notification dispatch (per channel)' },
  dlq: { name: 'flatrender.dlq', type: 'fanout', purpose: 'Dead-letter queue' },
} as const;

export type ExchangeId = keyof typeof EXCHANGES;
export type ExchangeName = (typeof EXCHANGES)[ExchangeId]['name'];

/** Render dispatch routing keys; each is also the name of its durable queue. */
export const RENDER_QUEUES = [
  'render.queue.snapshot',
  'render.queue.vip',
  'render.queue.paid',
  'render.queue.preview',
  'render.queue.mockup',
  'render.queue.voiceover',
] as const;
export type RenderQueue = (typeof RENDER_QUEUES)[number];

/** Every render queue is a classic queue with this argument (quorum queues ignore priorities). */
export const RENDER_QUEUE_MAX_PRIORITY = 10;

/**
 * Arguments every render queue is declared with; a redeclaration with others fails (PRECONDITION_FAILED).
 * The queue type is named so that a server whose default type is quorum cannot drop the priorities.
 */
export const RENDER_QUEUE_ARGUMENTS = {
  'x-queue-type': 'classic',
  'x-max-priority': RENDER_QUEUE_MAX_PRIORITY,
} as const;

/** Notification dispatch routing keys; each is also the name of its durable queue. */
export const NOTIFY_CHANNELS = [
  'notify.channel.push',
  'notify.channel.email',
  'notify.channel.sms',
  'notify.channel.telegram',
  'notify.channel.webhook',
] as const;
export type NotifyChannelKey = (typeof NOTIFY_CHANNELS)[number];
export type NotifyChannel = NotifyChannelKey extends `notify.channel.${infer C}` ? C : never;

/** The durable queue bound to the `flatrender.dlq` fanout exchange. */
export const DLQ_QUEUE = 'flatrender.dlq';

/**
 * Each service consuming domain events owns one durable queue `<service>.events`, named by its folder:
 * the render orchestrator (catalog name `render-orchestrator`) consumes `render.events`.
 */
export const serviceEventsQueue = (service: string): string =>
  `${service === 'render-orchestrator' ? 'render' : service}.events`;

export const DEFAULT_MAX_RETRIES = 3;
